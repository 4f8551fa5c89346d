# Sourced by the benchmark scripts: starts `musicctl up` on $OURS with a
# fresh or kept data directory under $DIR, ingests the demo album
# ($TRACKS tracks of the test music) through the IngestDelivery workflow,
# and writes a listener token to $DIR/token, the track IDs to
# $DIR/tracks, and signed 320 kbps URLs ($DIR/ours) and blob paths
# ($DIR/nginx) with sizes; TRACKS=0 skips the album and those files
# but the token. Sets bin, data, log, up, temporal, delivery and token,
# and an EXIT trap that stops up (a caller's own trap must stop it too).
# Extra `up` flags come from UP_FLAGS.
bin=$PWD/bin/musicctl
[ -x "$bin" ] && [ -x "$bin-temporal" ] || make build
mkdir -p "$DIR"
(cd bench && go build -o "$DIR/ratebench" ./ratebench)
data=$DIR/data
log=$DIR/up.log
# No rate limit: one bearer token carries the whole load here.
# shellcheck disable=SC2086 # UP_FLAGS is a list of flags
"$bin" up --data-dir "$data" --http $OURS --temporal-listen 127.0.0.1:0 --ui-listen "" --rate-limit 0 ${UP_FLAGS:-} >"$log" 2>&1 &
up=$!
trap 'kill $up 2>/dev/null; wait $up 2>/dev/null' EXIT INT TERM
for _ in $(seq 600); do
	grep -q '^ready ' "$log" && break
	kill -0 $up 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done
temporal=$(sed -n 's/^ready .* temporal=\([^ ]*\).*/\1/p' "$log")
[ -n "$temporal" ] || { echo "musicctl up did not become ready" >&2; cat "$log" >&2; exit 1; }

token=$("$bin" users add "bench-$(date +%s%N)" --role listener --country US --data-dir "$data")
echo "$token" >"$DIR/token"
[ "$TRACKS" = 0 ] && return

# The demo album, ingested through the IngestDelivery workflow (a second
# run finds it published and ingests nothing new).
delivery=$DIR/delivery
music=${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}/wav
[ -d "$delivery" ] || go run ./internal/deliverytest/demodelivery -music "$music" -n "$TRACKS" -out "$delivery"
[ -s "$data/label.token" ] || (umask 077 && "$bin" users add "bench-label-$(date +%s%N)" --role label --data-dir "$data" >"$data/label.token")
"$bin" ingest "$delivery" --data-dir "$data" --temporal-address "$temporal" --token-file "$data/label.token" >"$DIR/ingest.log" 2>&1 || { cat "$DIR/ingest.log" >&2; exit 1; }

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
