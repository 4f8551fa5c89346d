#!/usr/bin/env bash
# Side-by-side wall time of `musicctl fingerprint` (decoding included) and
# fpcalc on the same 16-bit WAV master, 120 s and full length, in one
# hyperfine run each so that machine noise hits both alike.
#   bash fingerprint/bench/vs_fpcalc.sh [WAV]
set -euo pipefail
cd "$(dirname "$0")/../.."
WAV=${1:-${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}/wav/knolls.wav}
go build -o bin/musicctl ./cmd/musicctl
echo "file: $WAV ($(soxi -D "$WAV") s); $(fpcalc -version)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for len in 120 0; do
	hyperfine -N -i -w 2 -r 15 --export-json "$work/fp.json" \
		-n musicctl "bin/musicctl fingerprint -length $len $WAV" \
		-n fpcalc "fpcalc -length $len $WAV"
	echo "-- -length $len, medians:"
	scripts/hyperfine-medians.py "$work/fp.json"
done
