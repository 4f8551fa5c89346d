#!/usr/bin/env bash
# Makes the annotated-tempo corpus: MIDI game music from two Debian
# packages, whose files state their tempo exactly, as 44.1 kHz/16-bit
# stereo WAV plus the tempo each file states (reco/bench/midi_tempo.py).
# Idempotent; nothing lands in the repo.
#
#   openttd-openmsx: MIDI only, rendered with fluidsynth and FluidR3_GM,
#     peaks normalised to -1 dBFS.
#   planetblupi-music-midi: its pieces are also recorded in
#     planetblupi-music-ogg; the recording is used, and the MIDI's tempo
#     taken as its truth, only if its length is within 1 % of the MIDI's
#     (last note-off plus the recording's release tail: at most 1 % off
#     means the same piece at the same tempo). These pieces are 10 to 28
#     minutes long, so only the first $MAX_SECONDS s are kept.
#
# A piece is kept only if one tempo holds for at least 90 % of the time
# between its first and last note, and at least 75 % of its note-ons sit on
# a sixteenth or eighth-triplet grid of that tempo (three times chance), so
# the stated tempo is the one the notes were written to. The others are
# listed on stderr with the reason.
#
#   $TRUTH_CACHE (default ~/.cache/musicctl/tempogt)
#     debs/       the packages, pinned to the versions below
#     wav/        <package>_<piece>.wav
#     truth.tsv   wav name, stated BPM (quarter notes), time signature,
#                 share of the dominant tempo, grid fraction, source
#
# Usage: truth_corpus.sh   (prints the WAV directory and truth.tsv last)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${TRUTH_CACHE:-$HOME/.cache/musicctl/tempogt}
MIDI_PKGS=(
	"openttd-openmsx=0.4.2-1 usr/share/games/openttd/baseset/openmsx"
	"planetblupi-music-midi=1.14.2-3 usr/share/planetblupi/music"
)
# The recording of planetblupi-music-midi's pieces.
OGG_PKG="planetblupi-music-ogg=1.14.2-3 usr/share/planetblupi/music"
SOUNDFONT=/usr/share/sounds/sf2/FluidR3_GM.sf2 # fluid-soundfont-gm 3.1-5.3
MIN_SHARE=0.90
MIN_GRID=0.75
MAX_SECONDS=240
for tool in fluidsynth ffmpeg soxi; do
	command -v "$tool" >/dev/null || { echo "truth_corpus: $tool missing: make reco-bench-deps" >&2; exit 1; }
done
[ -r "$SOUNDFONT" ] || { echo "truth_corpus: $SOUNDFONT missing: make reco-bench-deps" >&2; exit 1; }
mkdir -p "$CACHE/debs" "$CACHE/wav"
cd "$CACHE"

# fetch "pkg=version": path of the .deb, downloaded once.
fetch() {
	local p=${1%%=*} v=${1#*=} deb
	deb=$(ls debs/"${p}"_"${v#*:}"_all.deb 2>/dev/null || true)
	if [ -z "$deb" ]; then
		(cd debs && { apt-get download "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$1" >/dev/null; }; })
		deb=debs/"${p}"_"${v#*:}"_all.deb
	fi
	echo "$deb"
}

x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
read -r ogg_pv ogg_dir <<<"$OGG_PKG"
dpkg-deb -x "$(fetch "$ogg_pv")" "$x/ogg"
: >truth.tsv.new
for entry in "${MIDI_PKGS[@]}"; do
	read -r pv dir <<<"$entry"
	p=${pv%%=*}
	dpkg-deb -x "$(fetch "$pv")" "$x/$p"
	/usr/bin/python3 "$here/midi_tempo.py" "$x/$p/$dir"/*.mid >"$x/$p.tsv" ||
		echo "truth_corpus: the $p files named above are unreadable and left out" >&2
	while IFS=$'\t' read -r mid bpm share grid sig _first last _tempos; do
		n=${mid%.mid}
		if awk -v s="$share" -v m="$MIN_SHARE" 'BEGIN { exit !(s < m) }'; then
			echo "skip $p $n: dominant tempo $bpm holds only $share of the piece" >&2
			continue
		fi
		if awk -v g="$grid" -v m="$MIN_GRID" 'BEGIN { exit !(g < m) }'; then
			echo "skip $p $n: only $grid of its notes on the grid of $bpm BPM" >&2
			continue
		fi
		w="wav/${p}_${n}.wav"
		ogg="$x/ogg/$ogg_dir/$n.ogg"
		if [ "$p" = planetblupi-music-midi ]; then
			secs=$(soxi -D "$ogg")
			if ! awk -v o="$secs" -v m="$last" 'BEGIN { exit !(o >= m && o <= 1.01 * m) }'; then
				echo "skip $p $n: recording ${secs} s against ${last} s of MIDI" >&2
				continue
			fi
			source="planetblupi-music-ogg ($secs s; MIDI $last s)"
			[ -s "$w" ] || ffmpeg -nostdin -hide_banner -loglevel error -y -i "$ogg" -t "$MAX_SECONDS" -ar 44100 -ac 2 -c:a pcm_s16le "$w"
		else
			source="fluidsynth FluidR3_GM"
			if [ ! -s "$w" ]; then
				# fluidsynth's default gain leaves peaks near -17 dBFS; peak-normalise
				# to -1 dBFS like a mastered recording, as the onset envelopes
				# compress level logarithmically.
				fluidsynth -n -i -q -r 44100 -T wav -O s16 -F "$x/render.wav" "$SOUNDFONT" "$x/$p/$dir/$mid" >/dev/null
				sox -D "$x/render.wav" -b 16 "$w" gain -n -1 # -D: no dither, so renders repeat exactly
			fi
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$w")" "$bpm" "$sig" "$share" "$grid" "$source" >>truth.tsv.new
	done <"$x/$p.tsv"
done
mv truth.tsv.new truth.tsv
echo "$(wc -l <truth.tsv) pieces in"
echo "$CACHE/wav"
echo "$CACHE/truth.tsv"
