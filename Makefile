# musicctl: build, test and demo. `make` alone builds the binary after
# installing every Debian package the build and the tests need.
SHELL := /bin/bash
GO ?= go
BIN := bin/musicctl
# `musicctl up` runs the embedded Temporal server from this executable,
# which it finds beside itself; only it links the server.
TEMPORAL_BIN := bin/musicctl-temporal

# Debian packages the build (cgo audio libraries) and the tests (reference
# tools) need. `make deps` installs whichever are missing.
DEB_PACKAGES := libvorbis-dev libogg-dev libmp3lame-dev pkg-config ffmpeg \
	libchromaprint-tools vorbis-tools flac lame sox wrk nginx-light hyperfine jq

# Targets that must run before the tests; mk/*.mk files append to it.
TEST_PREREQS := deps

.PHONY: all build deps test vet demo clean
all: build

include $(wildcard mk/*.mk)

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(GO) build -ldflags="-s -w" -o $(BIN) ./cmd/musicctl
	$(GO) build -ldflags="-s -w" -o $(TEMPORAL_BIN) ./cmd/musicctl-temporal

vet:
	$(GO) vet ./...

test: $(TEST_PREREQS)
	$(GO) vet ./...
	$(GO) test -race -timeout 45m ./...

demo: build fingerprint-music
	scripts/demo.sh

clean:
	rm -rf bin
