#!/usr/bin/env bash
# The full weekly recommendation batch at scale through `musicctl up`:
# `musicctl lake tastes` writes a planted-taste world (USERS listeners,
# TRACKS tracks, PLAYS plays each over DAYS days) into the data dir's
# lake and catalog DB; `up` runs with the cache in a redis-server of its
# own (REDIS_PORT, no persistence, shut down at the end); a few real
# listeners report plays over HTTP; `musicctl recommend run --parts
# PARTS` runs the Recommendations workflow (every list). Recorded: wall
# per phase from the workflow's history (bench/workflowphases), the
# model steps' seconds, up's CPU time and peak RSS (VmHWM), Redis's
# memory, the load average every 10 s ($DIR/samples), and a check that a
# listener's Discover Weekly comes from the cache through the API with 30
# tracks, none of them played. The world is kept in $DIR/data and reused
# when its sizes match (delete $DIR to start over).
# docs/benchmarks/reco.md has the figures.
set -euo pipefail
DIR=${DIR:-/tmp/batch1m}
USERS=${USERS:-1000000}
TRACKS=${TRACKS:-100000}
GENRES=${GENRES:-50}
PLAYS=${PLAYS:-20}
DAYS=${DAYS:-28}
PARTS=${PARTS:-16}
LISTENERS=${LISTENERS:-5}
OURS=${OURS:-127.0.0.1:18290}
REDIS_PORT=${REDIS_PORT:-18291}
cd "$(dirname "$0")/.."
bin=$PWD/bin/musicctl
[ -x "$bin" ] && [ -x "$bin-temporal" ] || make build
mkdir -p "$DIR"
(cd bench && go build -o "$DIR/workflowphases" ./workflowphases)
data=$DIR/data
stamp() { echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg): $*"; }

world="users=$USERS tracks=$TRACKS genres=$GENRES plays=$PLAYS days=$DAYS as-of=$(date -u +%F)"
if [ "$(cat "$DIR/world" 2>/dev/null)" != "$world" ]; then
	rm -rf "$data"
	stamp "writing the world: $world"
	/usr/bin/time -v "$bin" lake tastes --data-dir "$data" --users "$USERS" --tracks "$TRACKS" --genres "$GENRES" \
		--plays "$PLAYS" --days "$DAYS" 2>"$DIR/world.time"
	grep -E 'Elapsed|Maximum resident|User time|System time' "$DIR/world.time"
	echo "$world" >"$DIR/world"
fi
stamp "lake: $(du -sh "$data/blobs" | cut -f1), catalog: $(du -sh "$data/catalog.db" | cut -f1)"

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >"$DIR/redis.log" 2>&1 &
redis=$!
up=
trap 'kill $up $sampler 2>/dev/null; wait $up 2>/dev/null; redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1; wait $redis 2>/dev/null' EXIT INT TERM
sampler=
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
"$bin" up --data-dir "$data" --http "$OURS" --temporal-listen 127.0.0.1:0 --ui-listen "" --rate-limit 0 \
	--lake-flush 300ms --redis-url "redis://127.0.0.1:$REDIS_PORT/0" >"$DIR/up.log" 2>&1 &
up=$!
for _ in $(seq 600); do
	grep -q '^ready ' "$DIR/up.log" && break
	kill -0 $up 2>/dev/null || { cat "$DIR/up.log" >&2; exit 1; }
	sleep 0.1
done
temporal=$(sed -n 's/^ready .* temporal=\([^ ]*\).*/\1/p' "$DIR/up.log")
[ -n "$temporal" ] || { echo "musicctl up did not become ready" >&2; exit 1; }

# Every 10 s: time, load, up's RSS (kB) and CPU seconds (user+system).
tck=$(getconf CLK_TCK)
(while kill -0 $up 2>/dev/null; do
	echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg) rss_kb=$(awk '/^VmRSS/{print $2}' /proc/$up/status) cpu_s=$(awk -v t="$tck" '{print ($14+$15)/t}' /proc/$up/stat)"
	sleep 10
done) >"$DIR/samples" 2>/dev/null &
sampler=$!

# A few real listeners: three plays past 30 s and one skip each, over HTTP.
played_at=$(date -u -d '-1 hour' +%FT%TZ)
run_id=$(date +%s%N)
: >"$DIR/listeners"
for l in $(seq "$LISTENERS"); do
	tok=$("$bin" users add "batch-$l-$run_id" --role listener --country US --data-dir "$data")
	tracks=""
	for k in 0 1 2 3; do
		id=tt$((l * 7 + k * 13))
		ms=45000 done=true
		[ $k = 3 ] && ms=8000 done=false
		body=$(jq -nc --arg e "bb-$run_id-$l-$k" --arg t "$id" --arg at "$played_at" --argjson ms $ms --argjson done $done \
			'{event_id:$e, track_id:$t, session_id:"s", device_id:"d", played_at:$at, duration_listened_ms:$ms, completed:$done, quality:"160kbps"}')
		curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "$body" "http://$OURS/api/v1/playback/report"
		tracks="$tracks $id"
	done
	echo "$tok$tracks" >>"$DIR/listeners"
done
sleep 3 # the lake writer flushes every 300 ms

cpu0=$(awk -v t="$tck" '{print ($14+$15)/t}' /proc/$up/stat)
stamp "batch starts: recommend run --parts $PARTS"
t0=$(date +%s.%N)
"$bin" recommend run --data-dir "$data" --temporal-address "$temporal" --parts "$PARTS" --json >"$DIR/recommend.json"
t1=$(date +%s.%N)
cpu1=$(awk -v t="$tck" '{print ($14+$15)/t}' /proc/$up/stat)
stamp "batch done"
echo "wall $(echo "$t1 - $t0" | bc) s; up CPU $(echo "$cpu1 - $cpu0" | bc) s; up $(grep -E 'VmHWM|VmRSS' /proc/$up/status | tr -s ' \n' ' ')"
echo "redis: $(redis-cli -p "$REDIS_PORT" dbsize) keys, $(redis-cli -p "$REDIS_PORT" info memory | grep -E '^used_memory_human|^used_memory_peak_human' | tr -d '\r' | tr '\n' ' ')"
jq -c '{Users, Items, Signals, Lists, Seconds: .Train.Seconds}' "$DIR/recommend.json"
"$DIR/workflowphases" -temporal "$temporal"

# Each listener's Discover Weekly, through the API: from the cache, 30
# tracks, none of the four they reported.
while read -r tok played; do
	js=$(curl -sf -H "Authorization: Bearer $tok" "http://$OURS/api/v1/me/recommendations?list=discover_weekly&limit=100")
	src=$(jq -r .source <<<"$js")
	n=$(jq '.tracks | length' <<<"$js")
	again=$(jq -r '.tracks[].track_id' <<<"$js" | grep -cxF -f <(tr ' ' '\n' <<<"$played" | grep .) || true)
	echo "listener: discover_weekly source=$src tracks=$n already_played=$again"
	[ "$src" = cache ] && [ "$n" = 30 ] && [ "$again" = 0 ] || { echo "Discover Weekly check failed" >&2; exit 1; }
done <"$DIR/listeners"
for l in discover_weekly daily_mix release_radar; do
	echo "redis sample $l: $(redis-cli -p "$REDIS_PORT" get "reco:tu12345:$l" | jq -c '{n: (.track_ids // .TrackIDs // [] | length)}' 2>/dev/null || echo none)"
done
