#!/usr/bin/env bash
# Fetches Debian's wesnoth-1.16-music (41 Vorbis tracks, GPL-2+, by the
# Battle for Wesnoth composers) with apt-get download and prepares masters
# for encode/ tests and benchmarks. Idempotent. Nothing lands in the repo.
#
#   $MUSIC_TEST_CACHE (default ~/.cache/musicctl/music)
#     ogg/    the package's original tracks
#     wav/    every track as 44.1 kHz/16-bit WAV
#     flac/   five tracks as 44.1 kHz/24-bit FLAC
#     hires/  two tracks as 96 kHz/24-bit WAV
#     cuts/   two 20 s WAV cuts and an 8 s FLAC cut that `make test` uses
#
# Usage: fetch-test-music.sh [cuts|wav|all]   (default all; `cuts` and
# `wav` are what `make test` needs: the cuts for encode/, the 16-bit WAV
# masters for fingerprint/)
set -euo pipefail
WHAT=${1:-all}
CACHE=${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}
mkdir -p "$CACHE"/{ogg,wav,flac,hires,cuts}
cd "$CACHE"
if ! ls wesnoth-1.16-music_*.deb >/dev/null 2>&1; then
	apt-get download wesnoth-1.16-music 2>/dev/null || { apt-get update -qq && apt-get download wesnoth-1.16-music; }
fi
if [ ! -e ogg/battle.ogg ]; then
	rm -rf pkg && dpkg-deb -x wesnoth-1.16-music_*.deb pkg
	cp pkg/usr/share/games/wesnoth/*/data/core/music/*.ogg ogg/
	cp pkg/usr/share/doc/wesnoth-1.16-music/copyright ogg/COPYRIGHT
	rm -rf pkg
fi
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
cuts() {
	[ -s cuts/battle-20s.wav ] || ff -ss 30 -t 20 -i "ogg/battle.ogg" -c:a pcm_s16le cuts/battle-20s.wav
	[ -s cuts/loyalists-20s.wav ] || ff -ss 10 -t 20 -i "ogg/loyalists.ogg" -c:a pcm_s24le cuts/loyalists-20s.wav
	[ -s cuts/knolls-8s.flac ] || ff -ss 60 -t 8 -i "ogg/knolls.ogg" -c:a flac cuts/knolls-8s.flac
}
cuts
if [ "$WHAT" = cuts ]; then
	echo "test cuts ready in $CACHE/cuts"
	exit 0
fi
for o in ogg/*.ogg; do
	n=$(basename "$o" .ogg)
	[ -s "wav/$n.wav" ] || ff -i "$o" -ar 44100 -ac 2 -c:a pcm_s16le "wav/$n.wav"
done
if [ "$WHAT" = wav ]; then
	echo "WAV masters ready in $CACHE/wav"
	exit 0
fi
for n in battle elvish-theme heroes_rite knolls love_theme; do
	[ -s "flac/$n.flac" ] || ff -i "ogg/$n.ogg" -ar 44100 -c:a flac -sample_fmt s32 "flac/$n.flac"
done
for n in frantic northerners; do
	[ -s "hires/$n.wav" ] || ff -i "ogg/$n.ogg" -af aresample=resampler=soxr -ar 96000 -c:a pcm_s24le "hires/$n.wav"
done
echo "test music ready in $CACHE"
