package webapp

import (
	"net/http"
	"os"
	"testing"

	"github.com/openmusic/music/internal/browsertest"
	"github.com/openmusic/music/internal/testmusic"
)

// TestOutputStartsLongTracksFromTheirFirstPages plays a five-minute Ogg
// Vorbis track of the test music through app/output.js in Chromium. The
// track sounds from its first pages, decoded alone, long before the whole
// is decoded; those pages decode to the very samples the whole track
// begins with, so the move from one to the other on a shared sample is
// not heard; and once the whole is decoded the duration is known and the
// clock ran on through the move.
func TestOutputStartsLongTracksFromTheirFirstPages(t *testing.T) {
	browser := browsertest.Start(t)
	long := ""
	for _, f := range testmusic.Files(t, "ogg", "*.ogg") {
		if st, err := os.Stat(f); err == nil && st.Size() > 4<<20 {
			long = f
			break
		}
	}
	if long == "" {
		t.Skip("NOTICE: no Ogg test music over 4 MB; run `make fingerprint-music`")
	}
	p, _ := modulePage(t, browser, map[string]http.HandlerFunc{
		"/long.ogg": func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, long) },
	})

	type result struct {
		StartMs, WholeMs, StartS, WholeS, MaxDiff float64
	}
	got := browsertest.Eval[result](p, `(async () => {
		const { Output } = await import('/app/output.js');
		const out = new Output();
		const bytes = await out.fetch('/long.ogg');
		let t0 = performance.now();
		const first = await out.decodeStartFirst(bytes.slice(0), '/long.ogg');
		const startMs = performance.now() - t0;
		t0 = performance.now();
		const whole = await first.whole;
		const wholeMs = performance.now() - t0;
		let maxDiff = 0;
		for (let c = 0; c < whole.numberOfChannels; c++) {
			const a = first.buffer.getChannelData(c), b = whole.getChannelData(c);
			// the start's last packet lacks the overlap of the next: leave out 0.1 s
			const n = a.length - Math.round(0.1 * first.buffer.sampleRate);
			for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
		}
		return { StartMs: startMs, WholeMs: wholeMs, StartS: first.buffer.duration, WholeS: whole.duration, MaxDiff: maxDiff };
	})()`)
	t.Logf("%s: the start (%.1f s) decoded in %.1f ms, the whole (%.1f s) in %.1f ms more; largest sample difference %g",
		long, got.StartS, got.StartMs, got.WholeS, got.WholeMs, got.MaxDiff)
	if got.StartS < 5 || got.WholeS < 4*got.StartS || got.MaxDiff != 0 {
		t.Fatalf("%+v: want a start of 5 s or more, far shorter than the whole, with the same samples", got)
	}

	// Played: the position passes the move to the whole track and the
	// duration becomes known, with the clock never stalling.
	browsertest.Eval[bool](p, `(async () => {
		const { Output } = await import('/app/output.js');
		window.out = new Output();
		await out.load('/long.ogg', 1);
		await out.play();
		return true;
	})()`)
	p.WaitUntil("the whole track decoded while playing", `Number.isFinite(out.duration) && out.currentTime > 0.5`)
	state := browsertest.Eval[[]float64](p, `[out.duration, out.currentTime, out.ctx.currentTime - out.startedAt, out.sounding.length]`)
	t.Logf("after the move: duration %.1f s, position %.3f s (clock %.3f s), %v nodes sounding", state[0], state[1], state[2], state[3])
	if state[0] < 4*got.StartS || state[1] <= 0 || state[1] >= got.StartS || state[3] < 1 {
		t.Fatalf("after the move %v: want the whole duration, a position within the start, a node sounding", state)
	}
}
