package client_test

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/openmusic/music/serving/client"
)

// twoTones is the test signal of TestPlayerSwitchesWithoutAGap at time t
// seconds: 441 Hz plus 3150 Hz, so a one-sample slip anywhere moves the
// waveform by about 0.1, well above the codec's error.
func twoTones(t float64) float64 {
	return 0.3*math.Sin(2*math.Pi*441*t) + 0.2*math.Sin(2*math.Pi*3150*t)
}

// TestPlayerSwitchesWithoutAGap decodes a real ladder through the
// throttling proxy with the Player: it starts on 320, drops to a lower
// rung when the link falls, and returns to 320 when it recovers. The
// decoded PCM must follow the signal sample for sample across both
// switches and end exactly at the master's length. The 24 kbps rung is
// 16 kHz, so that case also checks the format change and the time mapping.
func TestPlayerSwitchesWithoutAGap(t *testing.T) {
	a := newAudioServer(t)
	const frames = 44100*20 + 321
	tr := a.track(t, "abr-pcm", encodeSignal(t, frames, func(i int) float64 { return twoTones(float64(i) / 44100) }))
	for _, tc := range []struct {
		name      string
		low       string
		bps       int64
		dropAt    int64 // frames played before the link drops; -1: before the start
		rate      int
		tolerance float64 // on the low rung; 0.05 elsewhere
	}{
		{"96", "96", 150_000, 3 * 44100, 44100, 0.05},
		{"24", "24", 60_000, 3 * 44100, 16000, 0.1},
		// The first chunk is slow: the switch falls inside the new rung's
		// first audio page, and decoding restarts from its stream start.
		{"96 at once", "96", 150_000, -1, 44100, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a.bps.Store(0)
			if tc.dropAt < 0 {
				a.bps.Store(tc.bps)
			}
			c := client.New(testHTTP)
			c.StartRung = "320"
			c.ChunkSize = 16 << 10
			p, err := c.Open(context.Background(), tr)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			// worst[i] is the largest deviation in the i-th stretch
			// between switches, and within 4096 frames of switch i.
			var worst, nearSwitch [3]float64
			var pos int64 // frame index at the current rate
			seen := 0     // switches handled
			buf := make([]float32, 2*1024)
			for {
				n, err := p.Read(buf)
				rate, ch := p.Format() // of what Read returned
				if k := len(p.Switches); k > seen {
					s := p.Switches[k-1]
					// The new rung starts where the old one stopped, at
					// the nearest frame of its own rate.
					if at := float64(pos) * float64(rate) / float64(rungRate(s.From, tc.rate)); math.Abs(at-float64(s.Frame)) > 0.5 {
						t.Errorf("switch %+v after frame %d: starts at %d, want %.1f", s, pos, s.Frame, at)
					}
					seen, pos = k, s.Frame
				}
				if want := rungRate(p.Rung(), tc.rate); rate != want {
					t.Fatalf("rung %s decodes at %d Hz, want %d", p.Rung(), rate, want)
				}
				for i := 0; i < n; i += ch {
					d := math.Abs(float64(buf[i]) - twoTones(float64(pos)/float64(rate)))
					k := seen
					worst[k] = math.Max(worst[k], d)
					if k > 0 && pos-p.Switches[k-1].Frame < 4096 {
						nearSwitch[k] = math.Max(nearSwitch[k], d)
					}
					pos++
				}
				switch {
				case len(p.Switches) == 0 && pos > tc.dropAt && tc.dropAt >= 0:
					a.bps.Store(tc.bps) // the link drops
				case len(p.Switches) == 1 && pos > p.Switches[0].Frame+int64(tc.rate):
					a.bps.Store(0) // and recovers
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("at frame %d: %v", pos, err)
				}
				if len(p.Switches) > 2 {
					t.Fatalf("switches %+v, want two", p.Switches)
				}
			}
			t.Logf("switches %+v; largest deviation per stretch %.4f, near the switches %.4f", p.Switches, worst, nearSwitch[1:])
			if p.SwitchErr != nil {
				t.Errorf("a switch failed: %v", p.SwitchErr)
			}
			if len(p.Switches) != 2 || p.Switches[0].From != "320" || p.Switches[0].To != tc.low || p.Switches[1].To != "320" {
				t.Fatalf("switches %+v, want 320 → %s → 320", p.Switches, tc.low)
			}
			if pos != frames {
				t.Errorf("decoded up to frame %d across the switches, want the master's %d", pos, frames)
			}
			for k, w := range worst {
				limit := 0.05
				if k == 1 {
					limit = tc.tolerance
				}
				if w > limit || nearSwitch[k] > limit {
					t.Errorf("stretch %d: largest deviation %.3f (%.3f near its switch), want ≤ %.2f", k, w, nearSwitch[k], limit)
				}
			}
		})
	}
}

// rungRate is a rung's sample rate in this test: the low rung's, or 44.1 kHz.
func rungRate(rung string, lowRate int) int {
	if rung == "24" {
		return lowRate
	}
	return 44100
}
