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
# shellcheck source=scripts/lib/bench-up.sh
source scripts/lib/bench-up.sh
trap 'kill $up 2>/dev/null; wait $up 2>/dev/null; [ -f "$DIR/nginx.pid" ] && nginx -c "$DIR/nginx.conf" -p "$DIR" -s stop' EXIT INT TERM

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
