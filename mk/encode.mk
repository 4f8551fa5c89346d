# encode/: Debian packages for the cgo encoders, the reference tools the
# tests and benchmarks compare against, and the real test music.
DEB_PACKAGES += libvorbis-dev libogg-dev libmp3lame-dev pkg-config ffmpeg vorbis-tools flac lame time

# `make test` needs only three 20 s cuts of wesnoth-1.16-music.
TEST_PREREQS += encode-test-music

.PHONY: encode-test-music encode-music encode-bench
encode-test-music: deps
	@scripts/fetch-test-music.sh cuts

# Every track as WAV/FLAC/hi-res masters (about 1.8 GB in the cache).
encode-music: deps
	@scripts/fetch-test-music.sh all

# The side-by-side benchmark against the stock-tool reference script.
encode-bench: encode-music build
	@scripts/bench-encode.sh
