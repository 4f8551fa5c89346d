# Redis: the Connect player store and its fan-out, the recommendation
# cache and shared rate limits (redis/), and the end-to-end tests that
# share it. `make test`
# starts a redis-server on 127.0.0.1:6379 when none answers there, and
# makes the Redis tests fail instead of skip when it cannot.
DEB_PACKAGES += redis-server redis-tools
TEST_PREREQS += redis

test: export MUSIC_REQUIRE_REDIS := 1

.PHONY: redis
redis: deps
	@if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi; \
	echo "starting redis-server on 127.0.0.1:6379"; \
	redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null; \
	for i in $$(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.1; done; \
	echo "redis-server at 127.0.0.1:6379 did not come up" >&2; exit 1

.PHONY: connect-bench
# The Connect benchmarks (docs/benchmarks/connect.md): command-to-device
# latency across two serve processes under 1,000 devices, and 10,000
# devices on one serve (memory per device, heartbeat CPU). Several
# minutes; needs Redis at 127.0.0.1:6379.
connect-bench: redis
	$(GO) test -run XXX -bench 'BenchmarkConnect' -benchtime 1x -timeout 30m ./cmd/musicctl
	$(GO) test -run TestShuffleAdjacencyTable -v -count 1 . | grep '^ *|'
