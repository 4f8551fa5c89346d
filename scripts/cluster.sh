#!/usr/bin/env bash
# Bring the multi-process cluster up on loopback and keep it up (make
# cluster). The processes are started by the same Go harness the cluster
# tests use (internal/clustertest), so there is one definition of the
# deployment. It prints the front URL and every engine's address, then
# holds until Ctrl-C or CLUSTER_HOLD (default 8h) has passed.
set -euo pipefail
cd "$(dirname "$0")/.."
export MUSIC_CLUSTER_BIN="${MUSIC_CLUSTER_BIN:-$PWD/bin}"
export MUSIC_REQUIRE_MINIO=1
export MUSIC_CLUSTER_HOLD="${CLUSTER_HOLD:-8h}"
exec go test -tags cluster -count 1 -run '^TestClusterUp$' -v -timeout 0 ./internal/clustertest
