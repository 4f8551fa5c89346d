# The web player's browser tests (internal/browsertest, cmd/musicctl
# TestWebPlayerInABrowser) drive Debian's chromium. `make deps` installs
# it, and `make test` makes those tests fail instead of skip without it.
DEB_PACKAGES += chromium
TEST_PREREQS += webplayer-browser

test: export MUSIC_REQUIRE_BROWSER := 1

.PHONY: webplayer-browser webplayer-screenshots webplayer-bench
webplayer-browser: deps
	@command -v chromium >/dev/null || { echo "chromium is missing after make deps" >&2; exit 1; }

# Pictures of the player for docs/webplayer.md, saved under docs/webplayer/.
webplayer-screenshots: webplayer-browser fingerprint-music
	MUSIC_SCREENSHOTS=1 $(GO) test -count 1 -run TestWebPlayerInABrowser ./cmd/musicctl

# Page weight and click-to-audio latency (docs/benchmarks/webplayer.md).
webplayer-bench: webplayer-browser fingerprint-music
	$(GO) test -count 1 -run XXX -bench BenchmarkWebPlayer -benchtime 1x -timeout 20m ./cmd/musicctl

# axe-core from the npm registry (with the machine's npm; Debian's npm
# package conflicts with the Node.js installed here), kept in the cache for the browser test
# only (never served, never committed): it checks every page it visits.
AXE_VERSION := 4.14.1
AXE_DIR := $(HOME)/.cache/musicctl/axe-core
TEST_PREREQS += webplayer-axe

.PHONY: webplayer-axe
webplayer-axe: deps
	@[ -s "$(AXE_DIR)/axe.min.js" ] && grep -q '$(AXE_VERSION)' "$(AXE_DIR)/axe.min.js" && exit 0; \
	command -v npm >/dev/null || { echo "webplayer-axe: npm is needed to fetch axe-core (this machine's Node.js has it)" >&2; exit 1; }; \
	tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz) && \
	mkdir -p "$(AXE_DIR)" && cp $$tmp/package/axe.min.js $$tmp/package/LICENSE "$(AXE_DIR)/" && rm -rf $$tmp && \
	echo "axe-core $(AXE_VERSION) in $(AXE_DIR)"

# An hour of album playback on repeat, the page's memory sampled every
# minute after a forced GC (docs/benchmarks/webplayer.md). Not in make
# test; SOAK=3m to try it quickly.
SOAK ?= 60m
.PHONY: webplayer-soak
webplayer-soak: webplayer-browser fingerprint-music
	$(GO) test ./cmd/musicctl -count 1 -v -run TestWebPlayerSoak -timeout 2h -args -webplayer.soak=$(SOAK)
