# Recommendations (reco/, redis/, audiofeatures/): the Redis cache's
# conformance suite runs on the local Redis at 127.0.0.1:6379; the
# benchmarks compare against Debian's reference tools.
DEB_PACKAGES += redis-server redis-tools
TEST_PREREQS += reco-redis

# In `make test` an unreachable Redis fails the suite instead of skipping.
MUSIC_REQUIRE_REDIS ?= 1
export MUSIC_REQUIRE_REDIS

# Reference tools of `make bench-reco` only (not needed by make test).
RECO_BENCH_PACKAGES := aubio-tools bpm-tools python3-gensim python3-hnswlib python3-scipy python3-numpy

.PHONY: reco-redis reco-bench-deps bench-reco

# reco-redis makes sure Redis answers on 127.0.0.1:6379, starting
# redis-server in the background when it does not. Does nothing when up.
reco-redis: deps
	@if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi; \
	redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null; \
	for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
	echo "Redis at 127.0.0.1:6379 did not come up" >&2; exit 1

reco-bench-deps:
	@missing=$$(for p in $(RECO_BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The recommendation benchmarks, side by side with the references; see
# docs/benchmarks/reco.md for what each prints and the recorded figures.
bench-reco: reco-bench-deps fingerprint-music
	bash reco/bench/run.sh
