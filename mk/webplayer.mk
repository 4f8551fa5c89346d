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
