#!/usr/bin/env bash
# Latency of GET /api/v1/recommendations?seed_tracks={id} at a fixed
# request rate (open loop, bench/ratebench) through `musicctl up` whose
# model holds MODEL_TRACKS (1 M) tracks, so that seed search goes through
# the IVF index; GET /api/v1/tracks/{id} is the baseline in the same run.
# bench/recoworld first writes the synthetic catalogue through the
# catalog store's PutRelease and the model where the batch writes its own
# (a model of the real types with clustered synthetic vectors, not a
# trained one: docs/benchmarks/reco.md); a kept DIR reuses both. `up`
# then loads the model at start and logs its size, search and load time.
# Seeds rotate over SAMPLE distinct tracks, reshuffled for every run;
# RUNS rounds alternate the routes; the load average is printed around
# each run. Needs jq and bc.
set -euo pipefail
DIR=${DIR:-/tmp/seed1m}
RUNS=${RUNS:-3}
DUR=${DUR:-10s}
RATE=${RATE:-1000}
MODEL_TRACKS=${MODEL_TRACKS:-1000000}
SAMPLE=${SAMPLE:-100000}
OURS=${OURS:-127.0.0.1:18190}
TRACKS=0 # no demo album: the catalogue is recoworld's
cd "$(dirname "$0")/.."
mkdir -p "$DIR/data"
(cd bench && go build -o "$DIR/recoworld" ./recoworld)
echo "# $(date -u +%FT%TZ) world of $MODEL_TRACKS tracks; load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
"$DIR/recoworld" -data-dir "$DIR/data" -tracks "$MODEL_TRACKS" -seeds "$DIR/seeds" -sample "$SAMPLE"
echo "# world ready in $(echo "$(date +%s.%N) - $start" | bc) s"

# shellcheck source=scripts/lib/bench-up.sh
source scripts/lib/bench-up.sh
ready=$(date +%s.%N)
# The first refresh runs at start; serving logs each model it installs.
for _ in $(seq 1200); do
	grep -q '^recommendation model reco/runs/recoworld/' "$log" && break
	kill -0 "$up" 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.5
done
loaded=$(grep '^recommendation model reco/runs/recoworld/' "$log") || { echo "up loaded no recoworld model in 600 s" >&2; cat "$log" >&2; exit 1; }
echo "# up: $loaded; seen $(echo "$(date +%s.%N) - $ready" | bc) s after ready"
grep -q " $MODEL_TRACKS items, ivf " <<<"$loaded" || { echo "want the IVF search over $MODEL_TRACKS items" >&2; exit 1; }
seed=$(head -1 "$DIR/seeds")
answer=$(curl -sf -H "Authorization: Bearer $token" "http://$OURS/api/v1/recommendations?seed_tracks=$seed")
[ "$(jq -r .source <<<"$answer")" = model ] && [ "$(jq '.tracks | length' <<<"$answer")" -gt 0 ] ||
	{ echo "seed route did not answer from the model: $answer" >&2; exit 1; }
echo "# $seed → $(jq -c '[.tracks[:5][] | .track_id]' <<<"$answer") (source model)"
echo "# up RSS $(awk '/^VmRSS/ {print $2, $3}' /proc/"$up"/status), peak $(awk '/^VmHWM/ {print $2, $3}' /proc/"$up"/status)"

echo "# $(date -u +%FT%TZ) $(nproc) cores; rate $RATE/s for $DUR, $RUNS rounds"
for r in $(seq "$RUNS"); do
	for path in '/api/v1/recommendations?seed_tracks={id}' '/api/v1/tracks/{id}'; do
		shuf "$DIR/seeds" >"$DIR/tracks"
		echo "## run $r $(date -u +%T) load before $(cut -d' ' -f1-3 /proc/loadavg)"
		"$DIR/ratebench" -dir "$DIR" -tokens token -base "http://$OURS" -rate "$RATE" -d "$DUR" -path "$path"
		echo "## load after $(cut -d' ' -f1-3 /proc/loadavg)"
	done
done
echo "# up RSS after $(awk '/^VmRSS/ {print $2, $3}' /proc/"$up"/status), peak $(awk '/^VmHWM/ {print $2, $3}' /proc/"$up"/status)"
