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
