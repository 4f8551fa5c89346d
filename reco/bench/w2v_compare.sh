#!/usr/bin/env bash
# word2vec against gensim in one invocation, alternating: ours, gensim,
# ours, gensim… (RUNS of each, default 2) on one corpus, with the load
# average before each run, since the machine is shared. Each gensim run
# also scores the vectors the Go run just before it wrote, so the two
# hit-rates always come from the same corpus and test playlists.
# Usage: w2v_compare.sh DIR [PLAYLISTS [VOCAB]] (defaults 100000, 50000).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd)
playlists=${2:-100000} vocab=${3:-50000} runs=${RUNS:-2}
cd "$root"
go test -c -o "$dir/reco.test" ./reco
for i in $(seq "$runs"); do
	echo "== run $i, ours: load $(cut -d' ' -f1-3 /proc/loadavg)"
	(cd "$dir" && RECO_W2V_DIR="$dir" RECO_W2V_PLAYLISTS="$playlists" RECO_W2V_VOCAB="$vocab" \
		./reco.test -test.run XXX -test.bench Word2Vec -test.benchtime 1x -test.timeout 2h) | grep '^RESULT '
	echo "== run $i, gensim: load $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/python3 reco/bench/w2v_gensim.py "$dir"
done
echo "== end: load $(cut -d' ' -f1-3 /proc/loadavg)"
