# ingest: the validation tests decode audio with ffmpeg (ffprobe + ffmpeg);
# regenerating the delivery fixtures also needs sox and coreutils.
DEB_PACKAGES += ffmpeg sox

.PHONY: ingest-fixtures
# Rebuild ingest/testdata/{good,bad} (tiny synthetic audio, real hashes).
ingest-fixtures: deps
	cd ingest && testdata/make-fixtures.sh
