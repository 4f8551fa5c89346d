package encode

import (
	"math"
	"testing"
)

// gainDB resamples a sine at f Hz and returns output RMS relative to the
// input's, in dB, ignoring the edges.
func gainDB(in, out int, f float64) float64 {
	r := NewResampler(in, out, 1)
	const seconds = 0.25
	n := int(seconds * float64(in))
	src := make([]float32, n)
	for i := range src {
		src[i] = float32(math.Sin(2 * math.Pi * f * float64(i) / float64(in)))
	}
	var y []float32
	for i := 0; i < n; i += 4096 {
		y = r.Write(y, src[i:min(i+4096, n)])
	}
	y = r.Flush(y)
	edge := len(y) / 10
	s := 0.0
	for _, v := range y[edge : len(y)-edge] {
		s += float64(v) * float64(v)
	}
	rms := math.Sqrt(s / float64(len(y)-2*edge))
	return 20 * math.Log10(rms/math.Sqrt(0.5)+1e-30)
}

// The resampler's measured figures (documented in resample.go's Resampler):
// stop-band rejection ≥ 85 dB and pass-band ripple ≤ 0.01 dB for every
// conversion the ladder uses.
func TestResamplerResponse(t *testing.T) {
	for _, c := range []struct{ in, out int }{{48000, 44100}, {96000, 44100}, {88200, 44100}, {44100, 16000}, {44100, 22050}} {
		t.Run(itoa(c.in)+"to"+itoa(c.out), func(t *testing.T) {
			fo := float64(min(c.in, c.out))
			lo, hi := 200.0, -200.0
			for f := 50.0; f <= 0.45*fo; f += 0.45 * fo / 11 {
				g := gainDB(c.in, c.out, f)
				lo, hi = math.Min(lo, g), math.Max(hi, g)
			}
			ripple := hi - lo
			worst := -200.0
			for f := 0.55 * fo; f < 0.5*float64(c.in); f += (0.5*float64(c.in) - 0.55*fo) / 9 {
				worst = math.Max(worst, gainDB(c.in, c.out, f))
			}
			t.Logf("%d→%d Hz: %d taps/phase, pass-band ripple %.4f dB", c.in, c.out, NewResampler(c.in, c.out, 1).taps, ripple)
			if ripple > 0.01 {
				t.Errorf("pass-band ripple %.4f dB > 0.01 dB", ripple)
			}
			if 0.55*fo >= 0.5*float64(c.in) {
				t.Logf("stop band lies above the input Nyquist: nothing to reject; 23.5 kHz (transition, aliases above 20.6 kHz) is at %.1f dB", gainDB(c.in, c.out, 23500))
			} else if t.Logf("stop-band rejection %.1f dB", -worst); -worst < 85 {
				t.Errorf("stop-band rejection %.1f dB < 85 dB", -worst)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// The output length is exactly ceil(n·out/in), whatever the chunking.
func TestResamplerLength(t *testing.T) {
	for _, c := range []struct {
		in, out, ch int
		n           int64
	}{
		{44100, 16000, 2, 22050}, {44100, 16000, 2, 1}, {48000, 44100, 2, 12345},
		{96000, 44100, 1, 96001}, {44100, 22050, 1, 7}, {44100, 16000, 2, 0},
	} {
		r := NewResampler(c.in, c.out, c.ch)
		var y []float32
		src := make([]float32, c.n*int64(c.ch))
		for i := 0; i < len(src); i += 999 * c.ch {
			y = r.Write(y, src[i:min(i+999*c.ch, len(src))])
		}
		y = r.Flush(y)
		want := (c.n*int64(c.out) + int64(c.in) - 1) / int64(c.in)
		if int64(len(y)) != want*int64(c.ch) {
			t.Errorf("%d→%d, %d frames: got %d output frames, want %d", c.in, c.out, c.n, len(y)/c.ch, want)
		}
	}
}
