#!/usr/bin/env bash
# Side-by-side benchmark of `musicctl encode` and `musicctl loudness`
# against stock tools, in one hyperfine run per comparison (ratios cancel
# the noise of a shared machine). Needs `make encode-music build`.
# Usage: bench-encode.sh [RUNS]   (default 3; medians are reported)
#   LOUD_RUNS   runs of the loudness comparison (default 10, after 2 warm-ups)
#   SKIP_ENCODE=1  only the loudness comparison; SKIP_MEM=1  no 60-minute run
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
LOUD_RUNS=${LOUD_RUNS:-10}
CACHE=${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}
BIN=${BIN:-bin/musicctl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { scripts/hyperfine-medians.py "$1"; }

for in in "$CACHE/wav/loyalists.wav" "$CACHE/hires/frantic.wav"; do
	echo "== $(basename "$in"): $(ffprobe -v error -show_entries stream=sample_rate,bits_per_sample,duration -of csv=p=0 "$in")"
	if [ -z "${SKIP_ENCODE:-}" ]; then
		hyperfine -N --runs "$RUNS" --export-json "$work/enc.json" \
			-n musicctl "$BIN encode $in --out $work/ours --preview-start 60" \
			-n reference "scripts/reference-encode.sh $in $work/ref 60" >/dev/null
		median "$work/enc.json"
		echo "-- per-stage split, one more run each (seconds)"
		"$BIN" encode "$in" --out "$work/ours" --preview-start 60 --json |
			python3 -c 'import json,sys; r=json.load(sys.stdin); print("musicctl busy:", " ".join("%s=%.2f"%kv for kv in sorted(r["stage_seconds"].items())))'
		REF_TIMES=1 scripts/reference-encode.sh "$in" "$work/ref" 60 2>&1 | tr '\n' ' ' | sed 's/^/reference:    /'; echo
	fi
	echo "-- loudness alone"
	hyperfine -N -w 2 --runs "$LOUD_RUNS" --export-json "$work/loud.json" \
		-n musicctl "$BIN loudness $in" \
		-n ffmpeg "ffmpeg -nostdin -nostats -i $in -af ebur128=peak=true -f null -" >/dev/null
	median "$work/loud.json"
done

# Memory: a 60-minute 96 kHz/24-bit master (SKIP_MEM=1 skips it).
[ -z "${SKIP_MEM:-}" ] || exit 0
long=$CACHE/hires/long-60min-96k.wav
if [ ! -s "$long" ]; then
	ffmpeg -nostdin -hide_banner -loglevel error -y -stream_loop 25 -i "$CACHE/hires/frantic.wav" -t 3600 -c:a pcm_s24le "$long"
fi
echo "== 60 min 96 kHz/24-bit: $(du -h "$long" | cut -f1)"
/usr/bin/time -v "$BIN" encode "$long" --out "$work/long" 2>"$work/time.txt" >/dev/null
grep -E "Maximum resident set size|Elapsed \(wall" "$work/time.txt"
