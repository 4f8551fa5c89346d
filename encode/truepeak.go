package encode

import "math"

// truePeak estimates the inter-sample peak by 4× polyphase oversampling
// (2× at 96 kHz and above, none at 192 kHz), as BS.1770-4 Annex 2 asks.
type truePeak struct {
	factor int
	taps   int
	phases [][]float64 // phases[p][k]
	l1     float64     // largest sum |h| over phases: bounds any interpolated value
	cmax   [4]float64  // per central tap, largest |h| over phases
	tail   float64     // largest sum |h| over the non-central taps
	hist   [][]float64 // per channel: last taps-1 samples, then the new block
	peak   float64     // linear, max over channels
}

const tpTapsPerPhase = 24

func newTruePeak(rate, ch int) *truePeak {
	factor := 4
	switch {
	case rate >= 192000:
		factor = 1
	case rate >= 96000:
		factor = 2
	}
	t := &truePeak{factor: factor, taps: tpTapsPerPhase, hist: make([][]float64, ch)}
	if factor == 1 {
		return t
	}
	// Kaiser-windowed sinc at the oversampled rate, cut off at the input
	// Nyquist; β = 8 keeps stop-band images below about -80 dB.
	n := factor * t.taps
	h := make([]float64, n)
	mid := float64(n-1) / 2
	for i := range h {
		x := (float64(i) - mid) / float64(factor)
		h[i] = sinc(x) * kaiser(float64(i)-mid, mid+0.5, 8)
	}
	t.phases = make([][]float64, factor)
	for p := range t.phases {
		ph := make([]float64, t.taps)
		sum := 0.0
		for k := range ph {
			ph[k] = h[k*factor+p]
			sum += math.Abs(ph[k])
		}
		// Normalise each phase to unity DC gain so a full-scale DC reads 0 dBTP.
		dc := 0.0
		for _, v := range ph {
			dc += v
		}
		for k := range ph {
			ph[k] /= dc
		}
		t.l1 = math.Max(t.l1, sum/math.Abs(dc))
		t.phases[p] = ph
	}
	c0 := t.taps/2 - 2
	for _, ph := range t.phases {
		tail := 0.0
		for k, v := range ph {
			if k >= c0 && k < c0+4 {
				t.cmax[k-c0] = math.Max(t.cmax[k-c0], math.Abs(v))
			} else {
				tail += math.Abs(v)
			}
		}
		t.tail = math.Max(t.tail, tail)
	}
	return t
}

// add takes one channel's new samples (already in float64).
func (t *truePeak) add(c int, x []float64) {
	if t.factor == 1 {
		for _, v := range x {
			t.peak = math.Max(t.peak, math.Abs(v))
		}
		return
	}
	h := append(t.hist[c], x...)
	// Most positions cannot beat the current peak: bound each by its
	// central taps exactly and the tails by their gain times the span's
	// largest sample, and interpolate only where the bound is higher.
	const seg = 32
	c0 := t.taps/2 - 2
	for start := 0; start+t.taps <= len(h); start += seg {
		end := min(start+seg, len(h)-t.taps+1)
		m := 0.0
		for _, v := range h[start : end+t.taps-1] {
			if v < 0 {
				v = -v
			}
			if v > m {
				m = v
			}
		}
		if m > t.peak {
			t.peak = m // the sample peak is a lower bound
		}
		if m*t.l1 <= t.peak {
			continue
		}
		tails := t.tail * m
		for i := start; i < end; i++ {
			w := h[i : i+t.taps]
			b := tails + t.cmax[0]*math.Abs(w[c0]) + t.cmax[1]*math.Abs(w[c0+1]) +
				t.cmax[2]*math.Abs(w[c0+2]) + t.cmax[3]*math.Abs(w[c0+3])
			if b <= t.peak {
				continue
			}
			for _, ph := range t.phases {
				s := 0.0
				for k, v := range w {
					s += v * ph[k]
				}
				if s < 0 {
					s = -s
				}
				if s > t.peak {
					t.peak = s
				}
			}
		}
	}
	keep := min(len(h), t.taps-1)
	t.hist[c] = append(t.hist[c][:0], h[len(h)-keep:]...)
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window at offset x from the centre of a window of
// half-width half.
func kaiser(x, half, beta float64) float64 {
	r := x / half
	if r*r >= 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-r*r)) / besselI0(beta)
}

func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 50; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < 1e-12*sum {
			break
		}
	}
	return sum
}
