# Recommendations (reco/, redis/, audiofeatures/): the benchmarks compare
# against Debian's reference tools.
# Redis itself (installed and started for make test) is mk/redis.mk's.

# Reference tools of `make bench-reco` only (not needed by make test);
# fluidsynth and its General MIDI soundfont render reco/bench/truth_corpus.sh's MIDI.
RECO_BENCH_PACKAGES := aubio-tools bpm-tools python3-gensim python3-hnswlib python3-scipy python3-numpy fluidsynth fluid-soundfont-gm

.PHONY: reco-bench-deps bench-reco bench-reco-api bench-reco-seed1m bench-reco-batch

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

# Latency of the recommendation routes at 1000 requests/s through
# `musicctl up` with the demo album (scripts/bench-reco-api.sh).
bench-reco-api: build fingerprint-music
	scripts/bench-reco-api.sh

# The seed route alone through `musicctl up` with a 1 M-track catalogue
# and model (scripts/bench-reco-seed1m.sh; the world is kept in DIR,
# /tmp/seed1m by default, and reused by the next run).
bench-reco-seed1m: build
	scripts/bench-reco-seed1m.sh

# The full weekly batch at scale through `musicctl up`: wall per phase,
# CPU, peak RSS (scripts/bench-reco-batch.sh), e.g.
# `make bench-reco-batch USERS=1000000` (the default; TRACKS, PLAYS,
# PARTS and DIR too reach the script from make's command line). Tens of
# minutes at 1 M users.
bench-reco-batch: build
	scripts/bench-reco-batch.sh
