# MinIO for the S3 blob-store tests (s3/, internal/miniotest). Built once
# from the Go module proxy into a cache outside the repo; the build takes
# about 3 minutes on a quiet machine. MinIO publishes no semver tags, so
# the pin is the proxy's pseudo-version of a commit.
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_BIN_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/musicctl/bin
MINIO_BIN := $(MINIO_BIN_DIR)/minio
# The stamp names the version, so a new pin rebuilds and the old binary is
# replaced.
MINIO_STAMP := $(MINIO_BIN_DIR)/.minio-$(MINIO_VERSION)

TEST_PREREQS += minio

# `make test` must run the S3 suite, never skip it: miniotest fails instead
# of skipping when the binary is missing.
test: export MUSIC_REQUIRE_MINIO := 1
test: export MUSIC_MINIO_BIN := $(MINIO_BIN)

.PHONY: minio
minio: $(MINIO_STAMP)

$(MINIO_STAMP):
	@mkdir -p $(MINIO_BIN_DIR)
	@echo "building MinIO $(MINIO_VERSION) into $(MINIO_BIN_DIR) (once, about 3 minutes)"
	GOBIN=$(MINIO_BIN_DIR) $(GO) install github.com/minio/minio@$(MINIO_VERSION)
	@rm -f $(MINIO_BIN_DIR)/.minio-v*
	@touch $@
