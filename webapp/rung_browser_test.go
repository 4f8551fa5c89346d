package webapp

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/openmusic/music/internal/browsertest"
)

// TestRungFollowsThroughput fetches through app/output.js in Chromium,
// over a link throttled to 150 kbps and over loopback, and checks the
// rung app/rung.js then picks: 96 kbps on the slow link, 320 once a fast
// sample has come in (the estimate rises as an average), and 96 again at
// once after one slow sample (it falls without averaging).
func TestRungFollowsThroughput(t *testing.T) {
	browser := browsertest.Start(t)
	body := bytes.Repeat([]byte{0}, 40<<10) // 2.2 s at 150 kbps
	serve := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	}
	p, base := modulePage(t, browser, map[string]http.HandlerFunc{"/slow/track": serve, "/fast/track": serve})
	const slowBytesPerSecond = 150_000 / 8
	if _, err := chromedp.Call(p.Context(), network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.Context(), network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{URLPattern: base + "/slow/*", DownloadThroughput: slowBytesPerSecond, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	type step struct {
		Rung string
		Bps  float64
	}
	got := browsertest.Eval[[]step](p, `(async () => {
		const { Output } = await import('/app/output.js');
		const { throughput } = await import('/app/rung.js');
		const out = new Output(), steps = [{ Rung: throughput.rung(), Bps: 0 }];
		for (const path of ['/slow/track', '/fast/track', '/slow/track']) {
			await out.fetch(path);
			steps.push({ Rung: throughput.rung(), Bps: throughput.bps });
		}
		return steps;
	})()`)
	t.Logf("rungs: %+v", got)
	want := []string{"160", "96", "320", "96"}
	for i, s := range got {
		if i >= len(want) || s.Rung != want[i] {
			t.Fatalf("rungs %+v, want %v (before any sample, slow, fast, slow)", got, want)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("rungs %+v, want %v", got, want)
	}
}
