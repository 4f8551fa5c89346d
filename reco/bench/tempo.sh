#!/usr/bin/env bash
# Tempo of every WAV in $1 by ours (encode.AnalyzeFeatures), aubio tempo
# and bpm-tools' bpm; prints each file and the agreement of each pair:
# within 4 %, an octave error (ratio 2 or 1/2 within 4 %), or apart.
# Then, per pair, how many of the apart are at 3:2 or 2:3; how often we
# match aubio where aubio and bpm match each other; and how often we match
# at least one of them. reco/bench/beat_corpus.sh makes a corpus with a beat.
set -euo pipefail
dir=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && FEATURES_DIR="$dir" go test -run XXX -bench FeaturesFiles -benchtime 1x ./encode/) | grep '^RESULT ' | sed 's/^RESULT //' >"$tmp/ours.jsonl"
for f in "$dir"/*.wav; do
	b=$(basename "$f")
	a=$(aubio tempo -i "$f" 2>/dev/null | awk '{print $1}' | tail -n1)
	p=$(sox "$f" -t raw -r 44100 -e float -b 32 -c 1 - 2>/dev/null | bpm 2>/dev/null || echo 0)
	echo "$b $a $p"
done >"$tmp/refs.txt"
/usr/bin/python3 - "$tmp/ours.jsonl" "$tmp/refs.txt" <<'PY'
import json, sys
ours = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    ours[r["file"]] = r["features"]["tempo"]
rows = []
for line in open(sys.argv[2]):
    f, a, p = (line.split() + ["0", "0"])[:3]
    num = lambda x: float(x) if x.replace(".", "", 1).isdigit() else 0.0  # aubio may print "unknown"
    rows.append((f, ours.get(f, 0), num(a), num(p)))
def cls(x, y):
    if x <= 0 or y <= 0: return "none"
    r = x / y
    if abs(r - 1) <= 0.04: return "agree"
    if abs(r - 2) <= 0.08 or abs(r - 0.5) <= 0.02: return "octave"
    return "apart"
print(f"{'file':50s} {'ours':>7s} {'aubio':>7s} {'bpm':>7s}")
for f, o, a, p in rows:
    print(f"{f:50s} {o:7.1f} {a:7.1f} {p:7.1f}  ours/aubio {cls(o,a):6s} ours/bpm {cls(o,p):6s} aubio/bpm {cls(a,p)}")
for name, i, j in (("ours vs aubio", 1, 2), ("ours vs bpm", 1, 3), ("aubio vs bpm", 2, 3)):
    c = {"agree": 0, "octave": 0, "apart": 0, "none": 0}
    for r in rows: c[cls(r[i], r[j])] += 1
    n = len(rows)
    # A 3:2 or 2:3 ratio is the other common metrical-level slip (triplet
    # feel, or the beat against the dotted beat); counted inside "apart".
    tri = sum(1 for r in rows if cls(r[i], r[j]) == "apart" and r[i] > 0 and r[j] > 0
              and min(abs(r[i] / r[j] - 1.5), abs(r[i] / r[j] - 2 / 3)) <= 0.04 * r[i] / r[j])
    print(f"{name}: within 4% {c['agree']}/{n} ({100*c['agree']/n:.0f}%), octave errors {c['octave']}, apart {c['apart']} (of which 3:2 or 2:3: {tri}), no tempo {c['none']}")
both = [r for r in rows if cls(r[2], r[3]) == "agree"]
ok = sum(1 for r in both if cls(r[1], r[2]) == "agree")
print(f"where aubio and bpm agree within 4% ({len(both)} tracks): ours within 4% of aubio on {ok}")
either = sum(1 for r in rows if "agree" in (cls(r[1], r[2]), cls(r[1], r[3])))
print(f"ours within 4% of aubio or of bpm: {either}/{len(rows)}")
PY
