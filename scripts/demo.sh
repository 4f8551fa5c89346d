#!/usr/bin/env bash
# make demo: start the embedded stack, run a workflow through it, print
# how to use it, and keep serving until Ctrl-C (DEMO_ONESHOT=1 stops
# after the smoke run, for scripted checks).
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
cat <<MSG

The platform is up (data in $data):
  health:       curl -s http://$http/readyz
  metrics:      curl -s http://$http/metrics
  Temporal UI:  http://$ui
  a token:      $bin users add alice --role listener --data-dir $data
  a workflow:   $bin smoke --temporal-address $temporal
MSG
[ "${DEMO_ONESHOT:-}" = 1 ] && exit 0
echo "Ctrl-C stops it."
wait $up
