# The multi-process cluster (internal/clustertest, docs/cluster.md): every
# engine its own process on loopback. `make cluster` holds one up for a
# person to use; `make cluster-test` runs the fault-injection scenarios.
# Neither is part of `make test` (build tag "cluster").
CLUSTER_PREREQS := build nats-server minio fingerprint-music
CLUSTER_TIMEOUT ?= 60m

.PHONY: cluster cluster-test
cluster: $(CLUSTER_PREREQS)
	MUSIC_MINIO_BIN=$(MINIO_BIN) scripts/cluster.sh

cluster-test: $(CLUSTER_PREREQS)
	MUSIC_REQUIRE_MINIO=1 MUSIC_MINIO_BIN=$(MINIO_BIN) MUSIC_CLUSTER_BIN=$(CURDIR)/bin \
		$(GO) test -tags cluster -count 1 -v -timeout $(CLUSTER_TIMEOUT) ./internal/clustertest
