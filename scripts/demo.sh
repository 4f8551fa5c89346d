#!/usr/bin/env bash
# make demo: start the embedded stack, build a 10-track DDEX delivery from
# the real test music (internal/deliverytest/demodelivery), ingest it
# through the IngestDelivery workflow, print how to search and stream, and
# keep serving until Ctrl-C (DEMO_ONESHOT=1 stops after the ingest, for
# scripted checks; DEMO_TRACKS=N changes the album's length).
set -euo pipefail
bin=${BIN:-bin/musicctl}
data=${MUSIC_DATA_DIR:-./musicdata}
log=$(mktemp)
"$bin" up --data-dir "$data" >"$log" 2>&1 &
up=$!
trap 'kill $up 2>/dev/null; wait $up 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
	grep -q '^ready ' "$log" && break
	kill -0 $up 2>/dev/null || { cat "$log"; exit 1; }
	sleep 0.1
done
ready=$(grep '^ready ' "$log") || { echo "musicctl up did not become ready"; cat "$log"; exit 1; }
echo "$ready"
temporal=$(sed -n 's/.* temporal=\([^ ]*\).*/\1/p' <<<"$ready")
http=$(sed -n 's/.*http=\([^ ]*\).*/\1/p' <<<"$ready")
ui=$(sed -n 's/.* ui=\([^ ]*\).*/\1/p' <<<"$ready")
"$bin" smoke --temporal-address "$temporal"

music=${MUSIC_TEST_CACHE:-$HOME/.cache/musicctl/music}/wav
delivery="$data/demo-delivery"
[ -d "$delivery" ] || go run ./internal/deliverytest/demodelivery -music "$music" -n "${DEMO_TRACKS:-10}" -out "$delivery"
# Deliveries come from a label account's token, kept in a private file.
label_token="$data/demo-label.token"
[ -s "$label_token" ] || (umask 077 && "$bin" users add "demo-label-$(date +%s)" --role label --data-dir "$data" >"$label_token")
"$bin" ingest "$delivery" --data-dir "$data" --temporal-address "$temporal" --token-file "$label_token"
# The demo listener signs in to the web player with a fresh password and
# calls the API with the token.
listener="demo-$(date +%s)"
password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
token=$(printf '%s\n' "$password" | "$bin" users add "$listener" --role listener --password-stdin --data-dir "$data")
isrc=$(sed -n 's:.*<ISRC>\(.*\)</ISRC>.*:\1:p' "$delivery"/*.xml | head -1)
cat <<MSG

The platform is up (data in $data):
  web player:   http://$http   sign in as $listener, password $password
  health:       curl -s http://$http/readyz
  metrics:      curl -s http://$http/metrics
  Temporal UI:  http://$ui
  a token:      $bin users add alice --role listener --data-dir $data
  a workflow:   $bin smoke --temporal-address $temporal

The demo album is ingested. With the listener token $token:
  search:       curl -s -H "Authorization: Bearer $token" "http://$http/api/v1/search?q=battle"
  a track:      curl -s -H "Authorization: Bearer $token" "http://$http/api/v1/tracks?isrc=$isrc"
  ingest again: $bin ingest $delivery --data-dir $data --temporal-address $temporal --token-file $label_token   (same message: nothing new)
MSG
[ "${DEMO_ONESHOT:-}" = 1 ] && exit 0
echo "Ctrl-C stops it."
wait $up
