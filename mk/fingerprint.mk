# fingerprint/: reference tools for its tests and the real test music.
# The real-music tests skip with a notice when the music is absent;
# `make test` fetches it so they run (about 150 MB, once, from Debian).
DEB_PACKAGES += libchromaprint-tools ffmpeg sox lame
TEST_PREREQS += fingerprint-music

MUSIC_TEST_CACHE ?= $(HOME)/.cache/musicctl/music

.PHONY: fingerprint-music fingerprint-long fingerprint-bench

# Fetch wesnoth-1.16-music and make 16-bit WAV masters in
# $(MUSIC_TEST_CACHE)/wav (the layout the encode tests use too). Idempotent.
fingerprint-music: deps
	@set -e; c="$(MUSIC_TEST_CACHE)"; mkdir -p "$$c/ogg" "$$c/wav"; cd "$$c"; \
	if ! ls wesnoth-1.16-music_*.deb >/dev/null 2>&1; then \
		apt-get download wesnoth-1.16-music 2>/dev/null || { apt-get update -qq && apt-get download wesnoth-1.16-music; }; \
	fi; \
	if [ ! -e ogg/battle.ogg ]; then \
		rm -rf pkg && dpkg-deb -x wesnoth-1.16-music_*.deb pkg; \
		cp pkg/usr/share/games/wesnoth/*/data/core/music/*.ogg ogg/; rm -rf pkg; \
	fi; \
	for o in ogg/*.ogg; do n=$$(basename "$$o" .ogg); \
		[ -s "wav/$$n.wav" ] || ffmpeg -nostdin -loglevel error -y -i "$$o" -ar 44100 -ac 2 -c:a pcm_s16le "wav/$$n.wav"; \
	done

# The long real-music measurements (recall, thresholds, fpcalc agreement
# on all tracks); see docs/benchmarks/fingerprint.md.
fingerprint-long: fingerprint-music
	$(GO) test -timeout 60m -run Music -long -v ./fingerprint

# Speed and scale benchmarks, side by side with fpcalc.
fingerprint-bench: fingerprint-music
	bash fingerprint/bench/vs_fpcalc.sh
	$(GO) test -run XXX -bench . -benchtime 1x -timeout 30m ./fingerprint
