package encode

import "math"

// truePeak holds the tables for estimating the inter-sample peak by 4×
// polyphase oversampling (2× at 96 kHz and above, none at 192 kHz), as
// BS.1770-4 Annex 2 asks. It is read-only once built, so every channel's
// peakScan can use it at the same time.
type truePeak struct {
	factor int
	// coef[k][p] is phase p's tap k: one pass over a window yields every
	// phase, with one independent sum per phase (the sums do not wait on
	// one another, which is what makes the loop fast).
	coef [tpTapsPerPhase][4]float64
	l1   float64    // largest sum |h| over phases: bounds any interpolated value
	cmax [4]float64 // per central tap, largest |h| over phases
	tail float64    // largest sum |h| over the non-central taps
}

const tpTapsPerPhase = 24

// tpCentral is the first of the four central taps that the per-position
// bound takes exactly.
const tpCentral = tpTapsPerPhase/2 - 2

func newTruePeak(rate int) *truePeak {
	factor := 4
	switch {
	case rate >= 192000:
		factor = 1
	case rate >= 96000:
		factor = 2
	}
	t := &truePeak{factor: factor}
	if factor == 1 {
		return t
	}
	// Kaiser-windowed sinc at the oversampled rate, cut off at the input
	// Nyquist; β = 8 keeps stop-band images below about -80 dB.
	n := factor * tpTapsPerPhase
	h := make([]float64, n)
	mid := float64(n-1) / 2
	for i := range h {
		x := (float64(i) - mid) / float64(factor)
		h[i] = sinc(x) * kaiser(float64(i)-mid, mid+0.5, 8)
	}
	for p := 0; p < factor; p++ {
		sum, dc := 0.0, 0.0
		for k := 0; k < tpTapsPerPhase; k++ {
			sum += math.Abs(h[k*factor+p])
			dc += h[k*factor+p]
		}
		// Normalise each phase to unity DC gain so a full-scale DC reads 0 dBTP.
		tail := 0.0
		for k := 0; k < tpTapsPerPhase; k++ {
			v := h[k*factor+p] / dc
			t.coef[k][p] = v
			if k >= tpCentral && k < tpCentral+4 {
				t.cmax[k-tpCentral] = math.Max(t.cmax[k-tpCentral], math.Abs(v))
			} else {
				tail += math.Abs(v)
			}
		}
		t.l1 = math.Max(t.l1, sum/math.Abs(dc))
		t.tail = math.Max(t.tail, tail)
	}
	return t
}

// history is how many samples of the previous block a scan needs in
// front of the new ones.
func (t *truePeak) history() int {
	if t.factor == 1 {
		return 0
	}
	return tpTapsPerPhase - 1
}

// scan returns the larger of peak and the true peak of x, whose first
// history() samples were already scanned as the tail of the last block.
func (t *truePeak) scan(x []float64, peak float64) float64 {
	if t.factor == 1 {
		return max(peak, magnitude(x))
	}
	// Most positions cannot beat the current peak: bound each by its
	// central taps exactly and the tails by their gain times the span's
	// largest sample, and interpolate only where the bound is higher.
	// A segment's span (seg positions plus the taps after the last) lies
	// within two consecutive seg-sample blocks, so each block's largest
	// magnitude is found once and serves two segments.
	const seg = 32
	const c0 = tpCentral
	cur := magnitude(x[:min(seg, len(x))])
	for start := 0; start+tpTapsPerPhase <= len(x); start += seg {
		end := min(start+seg, len(x)-tpTapsPerPhase+1)
		next := magnitude(x[min(start+seg, len(x)):min(start+2*seg, len(x))])
		m := max(cur, next) // bounds every sample the segment's windows touch
		cur = next
		if m > peak {
			peak = m // the sample peak is a lower bound
		}
		if m*t.l1 <= peak {
			continue
		}
		tails := t.tail * m
		for i := start; i < end; i++ {
			w := (*[tpTapsPerPhase]float64)(x[i : i+tpTapsPerPhase])
			b := tails + t.cmax[0]*math.Abs(w[c0]) + t.cmax[1]*math.Abs(w[c0+1]) +
				t.cmax[2]*math.Abs(w[c0+2]) + t.cmax[3]*math.Abs(w[c0+3])
			if b <= peak {
				continue
			}
			if v := t.interpolate(w); v > peak {
				peak = v
			}
		}
	}
	return peak
}

// magnitude returns the largest |v| in x (0 for none), ignoring NaNs.
// With the sign bit cleared, the bits of non-NaN floats order as their
// magnitudes do, so the loop compares integers (branch-free); a NaN sorts
// above +Inf and sends the block to the slow loop that skips it.
func magnitude(x []float64) float64 {
	const inf = 0x7FF0000000000000
	var m0, m1 uint64
	i := 0
	for ; i+1 < len(x); i += 2 {
		m0 = max(m0, math.Float64bits(x[i])&^(1<<63))
		m1 = max(m1, math.Float64bits(x[i+1])&^(1<<63))
	}
	if i < len(x) {
		m0 = max(m0, math.Float64bits(x[i])&^(1<<63))
	}
	if m := max(m0, m1); m <= inf {
		return math.Float64frombits(m)
	}
	m := 0.0
	for _, v := range x {
		if v = math.Abs(v); v > m {
			m = v
		}
	}
	return m
}

// interpolate returns the largest magnitude among the oversampled values
// between w's central samples. (The built-in max compiles to a few
// instructions; math.Max is a call.)
func (t *truePeak) interpolate(w *[tpTapsPerPhase]float64) float64 {
	c := &t.coef
	if t.factor == 2 {
		// Two phases: split the taps into even and odd halves so that
		// four sums still run side by side.
		var s0, s1, u0, u1 float64
		for k := 0; k < tpTapsPerPhase; k += 2 {
			a, b := w[k], w[k+1]
			s0 += a * c[k][0]
			s1 += a * c[k][1]
			u0 += b * c[k+1][0]
			u1 += b * c[k+1][1]
		}
		return max(math.Abs(s0+u0), math.Abs(s1+u1))
	}
	var s0, s1, s2, s3 float64
	for k := 0; k < tpTapsPerPhase; k++ {
		v := w[k]
		s0 += v * c[k][0]
		s1 += v * c[k][1]
		s2 += v * c[k][2]
		s3 += v * c[k][3]
	}
	return max(math.Abs(s0), math.Abs(s1), math.Abs(s2), math.Abs(s3))
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
