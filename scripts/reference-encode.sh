#!/usr/bin/env bash
# The stock-tool reference for `musicctl encode`: oggenc for the four rungs
# (the 24 kbps one resampled to 16 kHz; all resampled to 44.1 kHz when the
# master is not), ffmpeg + libmp3lame for a 30 s preview with 1 s fades,
# and ffmpeg's ebur128 for loudness, run one after another.
# Usage: reference-encode.sh INPUT OUTDIR [PREVIEW_START]
# With REF_TIMES=1 prints "stage wall=… cpu=…" seconds on stderr.
set -euo pipefail
in=$1 out=$2 start=${3:-60}
mkdir -p "$out"
rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of csv=p=0 "$in")
rs=()
[ "$rate" = 44100 ] || rs=(--resample 44100)
t() {
	local name=$1
	shift
	if [ -z "${REF_TIMES:-}" ]; then
		"$@" >/dev/null 2>&1
	else
		/usr/bin/time -f "$name wall=%e cpu=%U+%S" "$@" 2>&1 >/dev/null | tail -1 >&2
	fi
}
t vorbis_24 oggenc -Q -b 24 --resample 16000 -o "$out/24.ogg" "$in"
t vorbis_96 oggenc -Q -b 96 "${rs[@]}" -o "$out/96.ogg" "$in"
t vorbis_160 oggenc -Q -b 160 "${rs[@]}" -o "$out/160.ogg" "$in"
t vorbis_320 oggenc -Q -b 320 "${rs[@]}" -o "$out/320.ogg" "$in"
t preview ffmpeg -nostdin -y -ss "$start" -t 30 -i "$in" -ar 44100 -af "afade=t=in:d=1,afade=t=out:st=29:d=1" -c:a libmp3lame -b:a 128k "$out/preview.mp3"
t loudness ffmpeg -nostdin -nostats -i "$in" -af ebur128=peak=true -f null -
