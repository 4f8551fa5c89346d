package main

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/openmusic/music/internal/browsertest"
)

var soakFor = flag.Duration("webplayer.soak", 0, "how long TestWebPlayerSoak plays (0 skips it; `make webplayer-soak` plays an hour)")

// The soak's pass criterion: after a forced garbage collection each
// minute, neither the JavaScript heap, nor the ArrayBuffer contents
// (fetched bytes), nor the renderer's resident memory (where Chromium
// keeps decoded audio) may grow faster than these, least squares over
// the whole run. The album's 8 s tracks change about 7 times a minute,
// so 16 KiB a minute is about 2 KiB kept per track played; one decoded
// 8 s track kept a minute would be 3 MB a minute.
const (
	maxHeapGrowthPerMinute  = 16 << 10
	maxStoreGrowthPerMinute = 64 << 10
	maxRSSGrowthPerMinute   = 1 << 20
	// The player holds the playing track and the next: live AudioBuffers
	// and nodes stay a handful, and one kept per track would add 7 a minute.
	maxObjectGrowthPerMinute = 0.5
)

// TestWebPlayerSoak plays the three-track album on repeat for
// -webplayer.soak (an hour in docs/benchmarks/webplayer.md) and
// samples the page's memory after a forced garbage collection every
// minute (every sixth of the run when shorter, to debug): the heap
// must show no growth trend. Not in `make test`: `make webplayer-soak`.
func TestWebPlayerSoak(t *testing.T) {
	if *soakFor <= 0 {
		t.Skip("set -webplayer.soak (make webplayer-soak)")
	}
	browser := browsertest.Start(t)
	w := newPlayerWorld(t)
	p := browser.NewPage()
	// chromedp enables the Network domain with Chromium's default buffer,
	// which keeps response bodies in the renderer for DevTools: each
	// track fetched would show as renderer memory. Keep none.
	none := int64(1)
	if _, err := chromedp.Call(p.Context(), network.Enable, network.EnableParams{MaxTotalBufferSize: &none, MaxResourceBufferSize: &none}); err != nil {
		t.Fatal(err)
	}
	traffic := browsertest.Watch(t, p)
	w.signIn(p)
	w.openAlbum(p)
	p.Click("button", "Play album "+w.album)
	p.Click("button", "Repeat: off")
	p.Find("button", "Repeat: all")
	p.WaitUntil("playing", playing)

	every := min(time.Minute, *soakFor/6)
	start := time.Now()
	var samples []browsertest.Memory
	for i := 0; time.Duration(i)*every <= *soakFor; i++ {
		time.Sleep(time.Until(start.Add(time.Duration(i) * every)))
		// Between two tracks the bar reads paused for a moment when the
		// next was not decoded in time (a loaded machine): wait, not read.
		p.WaitUntil(fmt.Sprintf("still playing at %s", time.Duration(i)*every), playing)
		m := p.Memory()
		t.Logf("sample at %s: %+v", time.Duration(i)*every, m) // kept should the run end early
		samples = append(samples, m)
	}
	plays := 0
	for _, r := range traffic.Matching("/api/v1/playback/report") {
		if r.Status == 202 {
			plays++
		}
	}
	checkSoak(t, samples, every, plays)
}

// checkSoak logs the samples and their trends, and fails on growth.
func checkSoak(t *testing.T, samples []browsertest.Memory, every time.Duration, plays int) {
	t.Helper()
	var heap, store, rss, nodes, listeners, buffers, audioNodes []float64
	var table strings.Builder
	for i, m := range samples {
		heap = append(heap, float64(m.JSHeap))
		store = append(store, float64(m.BackingStore))
		rss = append(rss, float64(m.RendererRSS))
		nodes = append(nodes, float64(m.Nodes))
		listeners = append(listeners, float64(m.Listeners))
		buffers = append(buffers, float64(m.AudioBuffers))
		audioNodes = append(audioNodes, float64(m.AudioNodes))
		fmt.Fprintf(&table, "| %s | %d | %d | %d | %d | %d | %d | %d |\n", time.Duration(i)*every, m.JSHeap, m.BackingStore, m.RendererRSS, m.Nodes, m.Listeners, m.AudioBuffers, m.AudioNodes)
	}
	t.Logf("%d plays reported in %s; samples after a forced GC:\n| at | JS heap B | ArrayBuffer contents B | renderer RSS B | DOM nodes | listeners | AudioBuffers | AudioNodes |\n%s", plays, time.Duration(len(samples)-1)*every, table.String())
	if want := int(0.8 * (time.Duration(len(samples)-1) * every).Seconds() / 8); plays < want {
		t.Errorf("%d plays reported, want at least %d (8 s tracks on repeat)", plays, want)
	}
	perMinute := float64(time.Minute) / float64(every)
	window := max(1, len(samples)/6) // ten minutes of an hour
	for _, q := range []struct {
		name   string
		values []float64
		limit  float64 // per minute; 0: reported only
	}{
		{"JS heap", heap, maxHeapGrowthPerMinute},
		{"ArrayBuffer contents", store, maxStoreGrowthPerMinute},
		{"renderer RSS", rss, maxRSSGrowthPerMinute},
		{"DOM nodes", nodes, 0},
		{"event listeners", listeners, 0},
		{"live AudioBuffers", buffers, maxObjectGrowthPerMinute},
		{"live AudioNodes", audioNodes, maxObjectGrowthPerMinute},
	} {
		tr := browsertest.TrendOf(q.values, window)
		t.Logf("%s: slope %.1f a minute; median of the first %d samples %.0f, of the last %d %.0f", q.name, tr.Slope*perMinute, window, tr.First, window, tr.Last)
		if q.limit > 0 && tr.Slope*perMinute > q.limit {
			t.Errorf("%s grows %.1f a minute, over the %.1f allowed", q.name, tr.Slope*perMinute, q.limit)
		}
	}
}
