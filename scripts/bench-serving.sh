#!/usr/bin/env bash
# Side-by-side serving benchmark on loopback, against `musicctl up` with
# the ingested demo catalog (the 10-track album `make demo` builds from
# real music), and nginx serving the same rendition files:
#   GET /api/v1/tracks/{id}       requests/s and latency percentiles (wrk,
#                                 closed loop), and percentiles at a fixed
#                                 1000 requests/s (bench/ratebench)
#   256 kB Range GETs of audio    MB/s, ours (signed /audio/ URLs) vs nginx
# Each measurement runs RUNS times, alternating servers; docs/benchmarks/
# serving.md has the figures. Needs wrk, nginx and jq (Debian packages,
# installed by `make deps`) and the test music (`make fingerprint-music`).
set -euo pipefail
DIR=${DIR:-/tmp/servingbench}
RUNS=${RUNS:-3}
DUR=${DUR:-10s}
CONNS=${CONNS:-32}
TRACKS=${DEMO_TRACKS:-10}
OURS=127.0.0.1:18080
NGINX=127.0.0.1:18081
cd "$(dirname "$0")/.."
bin=$PWD/bin/musicctl
[ -x "$bin" ] && [ -x "$bin-temporal" ] || make build
mkdir -p "$DIR"
(cd bench && go build -o "$DIR/ratebench" ./ratebench)
data=$DIR/data
log=$DIR/up.log
# No rate limit: one bearer token carries the whole load here.
"$bin" up --data-dir "$data" --http $OURS --temporal-listen 127.0.0.1:0 --ui-listen "" --rate-limit 0 >"$log" 2>&1 &
up=$!
trap 'kill $up 2>/dev/null; wait $up 2>/dev/null; [ -f "$DIR/nginx.pid" ] && nginx -c "$DIR/nginx.conf" -p "$DIR" -s stop' EXIT INT TERM
for _ in $(seq 600); do
	grep -q '^ready ' "$log" && break
	kill -0 $up 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done
temporal=$(sed -n 's/^ready .* temporal=\([^ ]*\).*/\1/p' "$log")
[ -n "$temporal" ] || { echo "musicctl up did not become ready" >&2; cat "$log" >&2; exit 1; }

# The demo album, ingested through the IngestDelivery workflow (a second
# run finds it published and ingests nothing new).
delivery=$DIR/delivery
music=${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}/wav
[ -d "$delivery" ] || go run ./internal/deliverytest/demodelivery -music "$music" -n "$TRACKS" -out "$delivery"
[ -s "$data/label.token" ] || (umask 077 && "$bin" users add "bench-label-$(date +%s%N)" --role label --data-dir "$data" >"$data/label.token")
"$bin" ingest "$delivery" --data-dir "$data" --temporal-address "$temporal" --token-file "$data/label.token" >"$DIR/ingest.log" 2>&1 || { cat "$DIR/ingest.log" >&2; exit 1; }
token=$("$bin" users add "bench-$(date +%s%N)" --role listener --country US --data-dir "$data")
echo "$token" >"$DIR/token"

# Track IDs and signed 320 kbps URLs from the API itself; nginx serves
# the same files at their blob keys (the URL path without the signature).
: >"$DIR/tracks"; : >"$DIR/ours"; : >"$DIR/nginx"
for isrc in $(sed -n 's:.*<ISRC>\(.*\)</ISRC>.*:\1:p' "$delivery"/*.xml); do
	js=$(curl -sf -H "Authorization: Bearer $token" "http://$OURS/api/v1/tracks?isrc=$isrc")
	id=$(jq -r '.track_id' <<<"$js")
	url=$(jq -r '.stream_urls["320"]' <<<"$js")
	path=${url%%\?*} # /audio/{id}/{version}/320.ogg, the blob key
	size=$(stat -c %s "$data/blobs$path")
	echo "$id" >>"$DIR/tracks"
	echo "$url $size" >>"$DIR/ours"
	echo "$path $size" >>"$DIR/nginx"
done
[ -s "$DIR/tracks" ] || { echo "no published tracks found" >&2; exit 1; }

# The file store writes objects 0600, so nginx's workers run as the owner.
cat >"$DIR/nginx.conf" <<CONF
user $(id -un);
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { audio/ogg ogg; }
  server {
    listen $NGINX;
    root $data/blobs;
    location /audio/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
CONF
nginx -c "$DIR/nginx.conf" -p "$DIR"
# Both must answer a range with 206 before anything is measured.
for f in ours nginx; do
	h=$OURS; [ $f = nginx ] && h=$NGINX
	p=$(head -1 "$DIR/$f" | cut -d' ' -f1)
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-262143' "http://$h$p")
	[ "$code" = 206 ] || { echo "$h answered $code to a range request for $p" >&2; exit 1; }
done

cat >"$DIR/meta.lua" <<'LUA'
local tracks, token = {}, io.open(os.getenv("DIR") .. "/token"):read("*l")
for l in io.lines(os.getenv("DIR") .. "/tracks") do tracks[#tracks + 1] = l end
request = function()
  return wrk.format("GET", "/api/v1/tracks/" .. tracks[math.random(#tracks)], { ["Authorization"] = "Bearer " .. token })
end
LUA
# Random 256 kB-aligned chunks inside each file (the last, shorter chunk
# of a file is never asked for, so every answer is a full 256 kB).
cat >"$DIR/range.lua" <<'LUA'
local paths, sizes, chunk = {}, {}, 262144
for l in io.lines(os.getenv("DIR") .. "/" .. os.getenv("PATHS")) do
  local p, s = l:match("^(%S+) (%d+)$")
  paths[#paths + 1], sizes[#sizes + 1] = p, tonumber(s)
end
request = function()
  local i = math.random(#paths)
  local off = math.random(0, math.floor(sizes[i] / chunk) - 1) * chunk
  return wrk.format("GET", paths[i], { ["Range"] = "bytes=" .. off .. "-" .. (off + chunk - 1) })
end
LUA
export DIR
echo "# $(date -u +%FT%TZ) $(nproc) cores; $(wc -l <"$DIR/tracks") tracks; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$RUNS"); do
	echo "## run $r metadata ours"; wrk -t2 -c"$CONNS" -d"$DUR" --latency -s "$DIR/meta.lua" "http://$OURS"
	echo "## run $r chunks ours"; PATHS=ours wrk -t2 -c"$CONNS" -d"$DUR" -s "$DIR/range.lua" "http://$OURS"
	echo "## run $r chunks nginx"; PATHS=nginx wrk -t2 -c"$CONNS" -d"$DUR" -s "$DIR/range.lua" "http://$NGINX"
	echo "## run $r metadata ours at 1000/s"; "$DIR/ratebench" -dir "$DIR" -base "http://$OURS" -rate 1000 -d "$DUR"
	echo "## load $(cut -d' ' -f1-3 /proc/loadavg)"
done
