package main

import (
	"flag"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/openmusic/music/internal/browsertest"
)

var webPlays = flag.Int("webplayer.plays", 50, "plays measured by BenchmarkWebPlayer")

// BenchmarkWebPlayer measures the web player in headless Chromium
// against `musicctl up` on loopback (docs/benchmarks/webplayer.md):
//
//   - page-KB: bytes on the wire for the first load of the sign-in page
//     (HTML, scripts, stylesheet, the session probe), cache off;
//   - home-KB: the same up to the signed-in home page;
//   - click-to-audio p50 and p99: from a real mouse click on a track's
//     play button to the player's "playing" state (the first sample is
//     scheduled on the AudioContext clock), timed in the
//     page, over -webplayer.plays plays with the cache off.
func BenchmarkWebPlayer(b *testing.B) {
	browser := browsertest.Start(b)
	w := newPlayerWorld(b)
	p := browser.NewPage()
	traffic := browsertest.Watch(b, p)
	if _, err := chromedp.Call(p.Context(), network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	p.Do(chromedp.Navigate(w.base + "/"))
	p.Find("button", "Sign in")
	time.Sleep(500 * time.Millisecond) // the last loadingFinished events
	page := traffic.Total()
	p.Type("textbox", "Name", w.user)
	p.Type("textbox", "Password", w.password)
	p.Click("button", "Sign in")
	p.Find("heading", "Home")
	time.Sleep(500 * time.Millisecond)
	home := traffic.Total()
	b.ReportMetric(float64(page)/1000, "page-KB")
	b.ReportMetric(float64(home)/1000, "home-KB")

	w.openAlbum(p)
	browsertest.Eval[bool](p, `(() => {
		window.__lat = []; let t0 = 0;
		document.addEventListener('click', () => { t0 = performance.now(); }, true);
		const bar = document.getElementById('player');
		new MutationObserver(() => {
			if (t0 && bar.dataset.state === 'playing') { window.__lat.push(performance.now() - t0); t0 = 0; }
		}).observe(bar, { attributes: true, attributeFilter: ['data-state'] });
		return true; })()`)
	for i := range *webPlays {
		// The first and the last album track: neither is the other's
		// next, so no play finds its track decoded ahead.
		p.Click("button", []string{"Play Battle Hymn", "Play " + hostileTitle}[i%2])
		p.WaitUntil(fmt.Sprintf("play %d", i+1), fmt.Sprintf(`window.__lat.length >= %d`, i+1))
		p.Click("button", "Pause")
		p.WaitUntil("paused", paused)
	}
	lat := browsertest.Eval[[]float64](p, `window.__lat`)
	slices.Sort(lat)
	b.ReportMetric(rank(lat, 0.50), "p50-ms")
	b.ReportMetric(rank(lat, 0.99), "p99-ms")
	b.Logf("page %d B, home %d B; click-to-audio over %d plays: min %.1f p50 %.1f p99 %.1f max %.1f ms",
		page, home, len(lat), lat[0], rank(lat, 0.5), rank(lat, 0.99), lat[len(lat)-1])
}

// rank is the nearest-rank percentile q of sorted values.
func rank(sorted []float64, q float64) float64 {
	return sorted[max(0, int(math.Ceil(q*float64(len(sorted))))-1)]
}
