package encode

import "math"

// biquad is one second-order IIR section (direct form I coefficients, a0 = 1).
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// kWeighting returns the two BS.1770-4 pre-filter stages (the "head"
// high-shelf and the RLB high-pass) for any sample rate. The analogue
// prototypes' published parameters are mapped with the bilinear transform,
// so at 48 kHz the result equals the recommendation's table.
func kWeighting(rate int) (shelf, highpass biquad) {
	fs := float64(rate)
	{
		const f0, gainDB, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
		k := math.Tan(math.Pi * f0 / fs)
		vh := math.Pow(10, gainDB/20)
		vb := math.Pow(vh, 0.4996667741545416)
		a0 := 1 + k/q + k*k
		shelf = biquad{
			b0: (vh + vb*k/q + k*k) / a0,
			b1: 2 * (k*k - vh) / a0,
			b2: (vh - vb*k/q + k*k) / a0,
			a1: 2 * (k*k - 1) / a0,
			a2: (1 - k/q + k*k) / a0,
		}
	}
	{
		const f0, q = 38.13547087602444, 0.5003270373238773
		k := math.Tan(math.Pi * f0 / fs)
		a0 := 1 + k/q + k*k
		highpass = biquad{b0: 1, b1: -2, b2: 1, a1: 2 * (k*k - 1) / a0, a2: (1 - k/q + k*k) / a0}
	}
	return shelf, highpass
}

// channelWeights gives BS.1770's per-channel gains for the usual WAV
// layouts: surrounds +1.5 dB (1.41), LFE excluded.
func channelWeights(ch int) []float64 {
	w := make([]float64, ch)
	for i := range w {
		w[i] = 1
	}
	switch ch {
	case 5: // L R C Ls Rs
		w[3], w[4] = 1.41, 1.41
	case 6: // L R C LFE Ls Rs
		w[3], w[4], w[5] = 0, 1.41, 1.41
	}
	return w
}

// kwState is one channel's K-weighting state: the shelf's x1 x2 y1 y2,
// then the high-pass's.
type kwState [8]float64

// filter runs x through the K-weighting (shelf, then high-pass) and
// returns the sum of squares of the output. The feedback terms come last
// in each sum so that the chain from one output to the next is one
// multiply and two adds. The high-pass's feed-forward taps are 1, -2, 1
// (kWeighting), so they cost no multiplication.
func (s *kwState) filter(sh, hp biquad, x []float64) float64 {
	x1, x2, y1, y2 := s[0], s[1], s[2], s[3]
	u1, u2, z1, z2 := s[4], s[5], s[6], s[7]
	acc := 0.0
	for _, v := range x {
		y := sh.b0*v + sh.b1*x1 + sh.b2*x2 - sh.a2*y2 - sh.a1*y1
		x2, x1, y2, y1 = x1, v, y1, y
		z := y - 2*u1 + u2 - hp.a2*z2 - hp.a1*z1 // the high-pass's b is 1, -2, 1
		u2, u1, z2, z1 = u1, y, z1, z
		acc += z * z
	}
	*s = kwState{x1, x2, y1, y2, u1, u2, z1, z2}
	return acc
}
