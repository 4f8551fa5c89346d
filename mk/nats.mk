# nats-server for the cluster harness (internal/clustertest): a 3-node
# JetStream cluster needs separate processes, so the server the natslog
# package embeds is also built as an executable, once, from the Go module
# proxy into the cache MinIO uses. The version is the one go.mod pins.
NATS_VERSION := $(shell $(GO) list -m -f '{{.Version}}' github.com/nats-io/nats-server/v2)
NATS_BIN_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/musicctl/bin
NATS_BIN := $(NATS_BIN_DIR)/nats-server
NATS_STAMP := $(NATS_BIN_DIR)/.nats-server-$(NATS_VERSION)

.PHONY: nats-server
nats-server: $(NATS_STAMP)

$(NATS_STAMP):
	@mkdir -p $(NATS_BIN_DIR)
	@echo "building nats-server $(NATS_VERSION) into $(NATS_BIN_DIR) (once)"
	GOBIN=$(NATS_BIN_DIR) $(GO) install github.com/nats-io/nats-server/v2@$(NATS_VERSION)
	@rm -f $(NATS_BIN_DIR)/.nats-server-v*
	@touch $@
