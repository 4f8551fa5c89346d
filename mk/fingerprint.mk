# fingerprint/: reference tools for its tests and the real test music.
# The real-music tests skip with a notice when the music is absent;
# `make test` fetches it so they run (about 150 MB, once, from Debian).
DEB_PACKAGES += libchromaprint-tools ffmpeg sox lame
TEST_PREREQS += fingerprint-music

MUSIC_TEST_CACHE ?= $(HOME)/.cache/musicctl/music

.PHONY: fingerprint-music fingerprint-long fingerprint-bench

# 16-bit WAV masters of wesnoth-1.16-music in $(MUSIC_TEST_CACHE)/wav,
# made by the same script the encode tests use. Idempotent.
fingerprint-music: deps
	@MUSIC_TEST_CACHE="$(MUSIC_TEST_CACHE)" scripts/fetch-test-music.sh wav

# The long real-music measurements (recall, thresholds, fpcalc agreement
# on all tracks); see docs/benchmarks/fingerprint.md.
fingerprint-long: fingerprint-music
	$(GO) test -timeout 60m -run Music -long -v ./fingerprint

# Speed and scale benchmarks, side by side with fpcalc.
fingerprint-bench: fingerprint-music
	bash fingerprint/bench/vs_fpcalc.sh
	$(GO) test -run XXX -bench . -benchtime 1x -timeout 30m ./fingerprint
