#!/usr/bin/env bash
# make bench-reco: the recommendation benchmarks, each beside its
# reference, in one run. Sizes default to the issue's; override with the
# RECO_* variables named in reco/bench_*_test.go. Results go to stdout as
# JSON lines and tables; docs/benchmarks/reco.md records them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3 # Debian's, where python3-gensim/hnswlib/scipy live
echo "== load: $(uptime)"

echo "== key on sox-synthesised music, 24 keys"
bash reco/bench/keys.sh "$work/keys" >/dev/null
FEATURES_DIR="$work/keys" go test -run XXX -bench FeaturesFiles -benchtime 1x ./encode/ | grep '^RESULT ' | sed 's/^RESULT //' |
	$py reco/bench/key_score.py

echo "== tempo vs aubio and bpm-tools on the test music"
bash reco/bench/tempo.sh "${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}/wav"

echo "== tempo vs aubio and bpm-tools on a steady-beat corpus (Debian game music)"
bash reco/bench/tempo.sh "$(bash reco/bench/beat_corpus.sh | tail -n1)"

echo "== tempo vs the tempo stated in MIDI game music (rendered, or recorded)"
truth=$(bash reco/bench/truth_corpus.sh | tail -n1)
bash reco/bench/tempo.sh "$(dirname "$truth")/wav" "$truth"

echo "== ALS: closed-form check against SciPy"
RECO_ALS_CHECK="$work/als.json" go test -run XXX -bench ALSExportForSciPy -benchtime 1x ./reco/ >/dev/null
$py reco/bench/als_check.py "$work/als.json"

echo "== word2vec vs gensim"
bash reco/bench/w2v_compare.sh "$work/w2v"

echo "== nearest neighbours vs hnswlib"
# Kept between runs (about 0.7 GB), unlike $work: the vectors are seeded,
# so knn_hnswlib.py finds its saved index still matching and skips the
# build (15 to 30 minutes on this shared machine).
knn=${RECO_KNN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/musicctl/knn}
mkdir -p "$knn"
RECO_KNN_DIR="$knn" go test -run XXX -bench Nearest -benchtime 1x -timeout 2h ./reco/ | grep '^RESULT '
$py reco/bench/knn_hnswlib.py "$knn"

echo "== ALS speed"
go test -run XXX -bench 'ALS$' -benchtime 1x -timeout 4h ./reco/ | grep '^RESULT '

echo "== quality on a planted-taste world"
go test -run XXX -bench Quality -benchtime 1x -timeout 6h ./reco/ | grep '^RESULT '
echo "== load: $(uptime)"
