package fingerprint

import (
	"math/rand/v2"
	"testing"
)

// The packed symmetric sums (the 80-tap special case and the general
// loop) must equal the plain sum over the whole filter, for both outputs
// of a pair.
func TestDotSymPackedMatchesPlainSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, inRate := range []int{44100, 22050, 88200} {
		r := newResampler(resamplerConfig{inRate: inRate, outRate: SampleRate, filterSize: 16, phaseShift: 8,
			linear: true, cutoff: 0.8, exactRational: true, reflectTail: true})
		if r.sym == nil || r.mod != 0 {
			t.Fatalf("%d Hz: expected the symmetric whole-step path", inRate)
		}
		n, gap := r.taps, int(r.div)
		f := r.bank16[:n]
		x := make([]int16, 4096)
		for i := range x {
			switch {
			case i%97 < 3: // stretches at full scale
				x[i] = []int16{32767, -32768, 32767}[i%97]
			default:
				x[i] = int16(rng.IntN(65536) - 32768)
			}
		}
		p := packPairs(nil, x, gap)
		for j := 0; j+n <= len(p); j++ {
			a, b := dotSymPacked(p[j:j+n], r.symTaps)
			var wa, wb int64
			for i, h := range f {
				wa += int64(x[j+i]) * int64(h)
				wb += int64(x[j+gap+i]) * int64(h)
			}
			if a != wa || b != wb {
				t.Fatalf("%d Hz (%d taps), window %d: got %d, %d; want %d, %d", inRate, n, j, a, b, wa, wb)
			}
		}
	}
}
