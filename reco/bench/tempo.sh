#!/usr/bin/env bash
# Tempo of every WAV in $1 by ours (encode.AnalyzeFeatures), aubio tempo
# and bpm-tools' bpm; prints each file and the agreement of each pair:
# within 4 %, an octave error (ratio 2 or 1/2 within 4 %), 3:2 or 2:3,
# 4:3 or 3:4 (the other metrical-level slips), or apart; then how often we
# match aubio where aubio and bpm match each other, and how often we match
# at least one of them. reco/bench/beat_corpus.sh makes a corpus with a beat.
#
# With $2, a truth.tsv from reco/bench/truth_corpus.sh (WAV name, then the
# tempo the piece states), also scores each of the three against that
# tempo by the same classes.
set -euo pipefail
dir=$1
truth=${2:-/dev/null}
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
/usr/bin/python3 - "$tmp/ours.jsonl" "$tmp/refs.txt" "$truth" <<'PY'
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
truth = {}
for line in open(sys.argv[3]):
    f, bpm = line.split("\t")[:2]
    truth[f] = float(bpm)
# Ratio classes, each within 4 %: the same tempo, an octave (2 or 1/2), and
# the two other common metrical-level slips, 3:2 (triplet feel, or the beat
# against the dotted beat) and 4:3.
LEVELS = (("agree", (1,)), ("octave", (2, 1 / 2)), ("3:2", (3 / 2, 2 / 3)), ("4:3", (4 / 3, 3 / 4)))
def cls(x, y):
    if x <= 0 or y <= 0: return "none"
    for name, ratios in LEVELS:
        if any(abs(x / y / k - 1) <= 0.04 for k in ratios): return name
    return "apart"
def counts(pairs):
    c = {"agree": 0, "octave": 0, "3:2": 0, "4:3": 0, "apart": 0, "none": 0}
    for x, y in pairs: c[cls(x, y)] += 1
    return c
print(f"{'file':50s} {'ours':>7s} {'aubio':>7s} {'bpm':>7s}" + (f" {'truth':>7s}" if truth else ""))
for f, o, a, p in rows:
    t = f" {truth[f]:7.1f}" if f in truth else ""
    print(f"{f:50s} {o:7.1f} {a:7.1f} {p:7.1f}{t}  ours/aubio {cls(o,a):6s} ours/bpm {cls(o,p):6s} aubio/bpm {cls(a,p):6s}"
          + (f" ours {cls(o, truth[f]):6s} aubio {cls(a, truth[f]):6s} bpm {cls(p, truth[f])}" if f in truth else ""))
for name, i, j in (("ours vs aubio", 1, 2), ("ours vs bpm", 1, 3), ("aubio vs bpm", 2, 3)):
    c = counts((r[i], r[j]) for r in rows)
    n = len(rows)
    apart = c["3:2"] + c["4:3"] + c["apart"]
    print(f"{name}: within 4% {c['agree']}/{n} ({100*c['agree']/n:.0f}%), octave errors {c['octave']}, apart {apart} (of which 3:2 or 2:3: {c['3:2']}, 4:3 or 3:4: {c['4:3']}), no tempo {c['none']}")
both = [r for r in rows if cls(r[2], r[3]) == "agree"]
ok = sum(1 for r in both if cls(r[1], r[2]) == "agree")
print(f"where aubio and bpm agree within 4% ({len(both)} tracks): ours within 4% of aubio on {ok}")
either = sum(1 for r in rows if "agree" in (cls(r[1], r[2]), cls(r[1], r[3])))
print(f"ours within 4% of aubio or of bpm: {either}/{len(rows)}")
if truth:
    scored = [r for r in rows if r[0] in truth]
    missing = sorted(set(truth) - {r[0] for r in rows})
    if missing:
        sys.exit(f"tempo.sh: no WAV for {len(missing)} pieces of the truth file, e.g. {missing[0]}")
    n = len(scored)
    for name, i in (("ours", 1), ("aubio", 2), ("bpm", 3)):
        c = counts((r[i], truth[r[0]]) for r in scored)
        print(f"{name} vs stated tempo: within 4% {c['agree']}/{n} ({100*c['agree']/n:.0f}%), octave (x2, x1/2) {c['octave']}, 3:2 or 2:3 {c['3:2']}, 4:3 or 3:4 {c['4:3']}, other {c['apart']}, no tempo {c['none']}")
PY
