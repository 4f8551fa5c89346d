// Package browsertest drives headless Chromium (Debian's chromium)
// through the DevTools protocol for the web player's tests. Controls are
// found by their role and accessible name as the browser computes them,
// never by CSS classes, so every test is also an accessibility check.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv set to 1 (make test sets it) turns a missing browser from
// a skip into a failure.
const RequireEnv = "MUSIC_REQUIRE_BROWSER"

// Wait bounds every wait for the page: a control that has not appeared
// by then fails the test. It is long because make test runs with -race on
// a shared machine, where the server's first answers took over 20 s.
const Wait = 60 * time.Second

// ExecPath returns the Chromium executable on PATH. Without one the test
// is skipped, or fails when RequireEnv is 1.
func ExecPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("no chromium on PATH and %s=1: run `make deps` (mk/webplayer.mk installs Debian's chromium)", RequireEnv)
	}
	t.Skip("NOTICE: no chromium on PATH; `make deps` installs it")
	return ""
}

// Browser is one headless Chromium process for a test.
type Browser struct {
	t   testing.TB
	ctx context.Context
}

// Start runs Chromium until the test ends. Audio plays without a
// gesture and into no device.
func Start(t testing.TB) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ExecPath(t)),
		chromedp.NoSandbox, // tests run as root, where the sandbox refuses to start
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 860),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &Browser{t: t, ctx: ctx}
}

// NewPage opens a tab in a browser context of its own: its own cookies,
// like another person's browser.
func (b *Browser) NewPage() *Page {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	// The first action opens the tab, which lives as long as the context
	// of that call: so not under a timeout.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a tab: %v", err)
	}
	return &Page{t: b.t, ctx: ctx}
}
