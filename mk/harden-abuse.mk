# Abuse limits and degradation (docs/security.md).
#
# The chaos test (cmd/musicctl TestChaosDependenciesDown) runs a
# PostgreSQL cluster of its own with the machine's PostgreSQL binaries;
# mk/catalog.mk installs Debian's postgresql, which also creates the
# postgres user the cluster runs as when make runs as root.

# Each new fuzzer runs this long in `make test` (3 targets, about 30 s
# with the instrumented build); run longer by hand with FUZZTIME=10m.
FUZZTIME ?= 5s
TEST_PREREQS += security-fuzz

.PHONY: security-fuzz shed-bench
security-fuzz:
	$(GO) test -run XXX -fuzz '^FuzzLimitRanges$$' -fuzztime $(FUZZTIME) ./serving
	$(GO) test -run XXX -fuzz '^FuzzClientIP$$' -fuzztime $(FUZZTIME) ./serving
	$(GO) test -run XXX -fuzz '^FuzzJSONBodies$$' -fuzztime $(FUZZTIME) ./serving

# Latency of audio and playback reports at 1x, 5x and 10x of a measured
# saturating search load, load shedding off and on
# (docs/benchmarks/shedding.md). About 2 minutes; MUSIC_SHED_PHASE sets
# each level's length (default 10s).
shed-bench:
	$(GO) test -tags shedbench -run '^TestShedBench$$' -count 1 -v -timeout 30m ./serving
