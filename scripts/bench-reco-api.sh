#!/usr/bin/env bash
# Latency of the recommendation routes at a fixed request rate (open
# loop, bench/ratebench), through `musicctl up` with the demo album:
#   GET /api/v1/me/recommendations?list=discover_weekly   cached lists
#   GET /api/v1/recommendations?seed_tracks={id}          online, from the model
#   GET /api/v1/tracks/{id}                               baseline, same run
# LISTENERS listeners each play three of the album's tracks past 30 s and
# skip one; `musicctl recommend run` trains the models and fills every
# listener's lists; requests rotate over the listeners' tokens. RUNS
# rounds, alternating routes. docs/benchmarks/reco.md has the figures.
# Needs jq and the test music (`make fingerprint-music`).
set -euo pipefail
DIR=${DIR:-/tmp/recoapibench}
RUNS=${RUNS:-3}
DUR=${DUR:-10s}
RATE=${RATE:-1000}
LISTENERS=${LISTENERS:-50}
TRACKS=${DEMO_TRACKS:-10}
OURS=127.0.0.1:18090
UP_FLAGS="--lake-flush 300ms"
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-up.sh
source scripts/lib/bench-up.sh

mapfile -t ids <"$DIR/tracks"
played_at=$(date -u -d '-1 hour' +%FT%TZ)
run_id=$(date +%s%N) # event IDs stay unique when the data directory is kept
: >"$DIR/tokens"
for l in $(seq "$LISTENERS"); do
	tok=$("$bin" users add "reco-bench-$l-$run_id" --role listener --country US --data-dir "$data")
	echo "$tok" >>"$DIR/tokens"
	for k in 0 1 2 3; do
		ms=45000 completed=true
		[ $k = 3 ] && ms=8000 completed=false
		body=$(jq -nc --arg e "rb-$run_id-$l-$k" --arg t "${ids[$(((l + k) % ${#ids[@]}))]}" --arg s "s-$l" --arg at "$played_at" \
			--argjson ms $ms --argjson done $completed \
			'{event_id:$e, track_id:$t, session_id:$s, device_id:"d", played_at:$at, duration_listened_ms:$ms, completed:$done, quality:"160kbps"}')
		curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "$body" "http://$OURS/api/v1/playback/report"
	done
done
sleep 3 # the lake writer flushes every 300 ms
"$bin" recommend run --data-dir "$data" --temporal-address "$temporal" --days 2 --json >"$DIR/recommend.json"
users=$(jq -r .Users "$DIR/recommend.json")
[ "$users" -ge "$LISTENERS" ] || { echo "the batch saw $users listeners, want $LISTENERS" >&2; cat "$DIR/recommend.json" >&2; exit 1; }

# Both routes must answer from the batch before anything is measured: the
# cache, and the model, which serve picks up within 30 s.
first=$(head -1 "$DIR/tokens")
source=$(curl -sf -H "Authorization: Bearer $first" "http://$OURS/api/v1/me/recommendations?list=discover_weekly" | jq -r .source)
[ "$source" = cache ] || { echo "Discover Weekly answered from $source, not the cache" >&2; exit 1; }
for _ in $(seq 60); do
	n=$(curl -s -H "Authorization: Bearer $first" "http://$OURS/api/v1/recommendations?seed_tracks=${ids[0]}" | jq -r '.tracks | length' 2>/dev/null || true)
	[ "${n:-0}" -gt 0 ] && break
	sleep 1
done
[ "${n:-0}" -gt 0 ] || { echo "seed-based recommendations stayed empty" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores; ${#ids[@]} tracks; $LISTENERS listeners; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$RUNS"); do
	for path in '/api/v1/me/recommendations?list=discover_weekly' '/api/v1/recommendations?seed_tracks={id}' '/api/v1/tracks/{id}'; do
		echo "## run $r"
		"$DIR/ratebench" -dir "$DIR" -tokens tokens -base "http://$OURS" -rate "$RATE" -d "$DUR" -path "$path"
	done
	echo "## load $(cut -d' ' -f1-3 /proc/loadavg)"
done
