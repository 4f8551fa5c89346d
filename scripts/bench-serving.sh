#!/bin/sh
# Side-by-side serving benchmark on loopback: the serving layer
# (bench/servingbench: catalog + signed audio routes on a file store) and
# nginx serving the same rendition files, both driven by wrk.
#   GET /api/v1/tracks/{id}       requests/s and latency percentiles (wrk,
#                                 closed loop), and percentiles at a fixed
#                                 1000 requests/s (bench/ratebench)
#   256 kB Range GETs of audio    MB/s, ours vs nginx
# Each measurement runs RUNS times, alternating servers; docs/benchmarks/
# serving.md has the figures. Needs wrk and nginx (Debian packages).
set -eu
DIR=${DIR:-/tmp/servingbench}
RUNS=${RUNS:-3}
DUR=${DUR:-10s}
CONNS=${CONNS:-32}
OURS=127.0.0.1:18080
NGINX=127.0.0.1:18081
cd "$(dirname "$0")/.."
mkdir -p "$DIR"
(cd bench && go build -o "$DIR/servingbench" ./servingbench && go build -o "$DIR/ratebench" ./ratebench)
"$DIR/servingbench" -dir "$DIR" -addr $OURS > "$DIR/serve.log" 2>&1 &
SERVE=$!
# The file store writes objects 0600, so nginx's workers run as the owner.
cat > "$DIR/nginx.conf" <<CONF
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
    root $DIR/blobs;
    location /audio/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
CONF
nginx -c "$DIR/nginx.conf" -p "$DIR"
trap 'kill $SERVE; nginx -c "$DIR/nginx.conf" -p "$DIR" -s stop' EXIT INT TERM
for i in $(seq 50); do grep -q ready "$DIR/serve.log" && break; sleep 0.2; done
# Both must answer a range with 206 before anything is measured.
P1=$(head -1 "$DIR/paths")
for h in $OURS $NGINX; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-262143' "http://$h$P1")
  [ "$code" = 206 ] || { echo "$h answered $code to a range request" >&2; exit 1; }
done

cat > "$DIR/meta.lua" <<'LUA'
local tracks, token = {}, io.open(os.getenv("DIR") .. "/token"):read("*l")
for l in io.lines(os.getenv("DIR") .. "/tracks") do tracks[#tracks + 1] = l end
request = function()
  return wrk.format("GET", "/api/v1/tracks/" .. tracks[math.random(#tracks)], { ["Authorization"] = "Bearer " .. token })
end
LUA
cat > "$DIR/range.lua" <<'LUA'
local paths = {}
for l in io.lines(os.getenv("DIR") .. "/paths") do paths[#paths + 1] = l end
local chunk, size = 262144, tonumber(os.getenv("SIZE") or "5242880")
request = function()
  local off = math.random(0, size / chunk - 1) * chunk
  return wrk.format("GET", paths[math.random(#paths)], { ["Range"] = "bytes=" .. off .. "-" .. (off + chunk - 1) })
end
LUA
export DIR
echo "# $(date -u +%FT%TZ) $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$RUNS"); do
  echo "## run $r metadata ours";  wrk -t2 -c"$CONNS" -d"$DUR" --latency -s "$DIR/meta.lua" "http://$OURS"
  echo "## run $r chunks ours";    wrk -t2 -c"$CONNS" -d"$DUR" -s "$DIR/range.lua" "http://$OURS"
  echo "## run $r chunks nginx";   wrk -t2 -c"$CONNS" -d"$DUR" -s "$DIR/range.lua" "http://$NGINX"
  echo "## run $r metadata ours at 1000/s"; "$DIR/ratebench" -dir "$DIR" -base "http://$OURS" -rate 1000 -d "$DUR"
  echo "## load $(cut -d' ' -f1-3 /proc/loadavg)"
done
