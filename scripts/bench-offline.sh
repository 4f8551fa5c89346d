#!/usr/bin/env bash
# Offline encryption throughput against OpenSSL's AES-256-GCM on this
# machine, both sides in one invocation and on one core, ROUNDS times
# alternating, so load hits both alike. Prints MB/s per round.
set -euo pipefail
ROUNDS=${ROUNDS:-5}
cd "$(dirname "$0")/.."
go test -c -o /tmp/offlinecrypt.test ./offlinecrypt
for i in $(seq "$ROUNDS"); do
	GOMAXPROCS=1 /tmp/offlinecrypt.test -test.run '^$' -test.bench 'Encrypt|Decrypt' -test.benchtime 2s |
		awk '/^Benchmark/ {print "go", $1, $(NF-1)}'
	openssl speed -evp aes-256-gcm -bytes 65536 -seconds 2 -mr 2>/dev/null |
		awk -F: '/^\+F:/ {printf "openssl aes-256-gcm-64KiB %.2f\n", $4/1e6}'
	openssl speed -decrypt -evp aes-256-gcm -bytes 65536 -seconds 2 -mr 2>/dev/null |
		awk -F: '/^\+F:/ {printf "openssl aes-256-gcm-64KiB-decrypt %.2f\n", $4/1e6}'
done
