#!/usr/bin/env bash
# Makes the steady-beat tempo corpus: the game music of three Debian
# packages (drum-driven pop, rock and electronic loops), decoded to
# 44.1 kHz/16-bit stereo WAV. The wesnoth corpus is orchestral and rubato,
# so no tempo estimator can be judged on it; this one has a beat. Idempotent;
# nothing lands in the repo.
#
#   $BEAT_CACHE (default ~/.cache/musicctl/beat)
#     debs/   the packages, pinned to the versions below
#     wav/    <package>_<version>_<track>.wav, tracks of 20 s or more
#
# Usage: beat_corpus.sh   (prints the WAV directory on its last line)
set -euo pipefail
CACHE=${BEAT_CACHE:-$HOME/.cache/musicctl/beat}
# package=version  directory of its music inside the package
PKGS=(
	"neverball-common=1.6.0+git20180603-3 usr/share/games/neverball/bgm"
	"xmoto-data=0.6.1+repack-9 usr/share/games/xmoto/Textures/Musics"
	"extremetuxracer-data=0.8.2-1 usr/share/games/etr/music"
)
MIN_SECONDS=20 # shorter files are jingles (win/lose stings), not pieces
mkdir -p "$CACHE/debs" "$CACHE/wav"
cd "$CACHE"
for entry in "${PKGS[@]}"; do
	read -r pv dir <<<"$entry"
	p=${pv%%=*} v=${pv#*=}
	deb=$(ls debs/"${p}"_*"${v#*:}"_all.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		(cd debs && { apt-get download "$pv" 2>/dev/null || { apt-get update -qq && apt-get download "$pv"; }; })
		deb=$(ls debs/"${p}"_*"${v#*:}"_all.deb | head -n1)
	fi
	x=$(mktemp -d)
	dpkg-deb -x "$deb" "$x"
	for o in "$x/$dir"/*.ogg; do
		n=$(basename "$o" .ogg)
		w="wav/${p}_${v}_${n}.wav"
		[ -s "$w" ] && continue
		secs=$(soxi -D "$o")
		if awk -v s="$secs" -v m="$MIN_SECONDS" 'BEGIN { exit !(s < m) }'; then
			echo "skip $p $n: ${secs} s" >&2
			continue
		fi
		ffmpeg -nostdin -hide_banner -loglevel error -y -i "$o" -ar 44100 -ac 2 -c:a pcm_s16le "$w"
	done
	rm -rf "$x"
done
echo "$(ls wav/*.wav | wc -l) tracks in"
echo "$CACHE/wav"
