"""Scores key detection on the files keys.sh wrote (RESULT lines on
stdin): exact, relative (C major / A minor), fifth (tonic a fifth up or
down, same mode), or wrong."""
import json, sys
n = {"exact": 0, "relative": 0, "fifth": 0, "wrong": 0}
for line in sys.stdin:
    r = json.loads(line)
    f = r["features"]
    mode, tonic, _ = r["file"].split("-", 2)
    tonic, m = int(tonic), 1 if mode == "major" else 0
    k, km = f["key"], f["mode"]
    if k == tonic and km == m:
        c = "exact"
    elif km != m and k == ((tonic + 9) % 12 if m == 1 else (tonic + 3) % 12):
        c = "relative"
    elif km == m and (k - tonic) % 12 in (5, 7):
        c = "fifth"
    else:
        c = "wrong"
    n[c] += 1
    print(f"{r['file']:22s} {r['key_name']:10s} {c}")
print("keys: " + ", ".join(f"{k} {v}/24" for k, v in n.items()))
