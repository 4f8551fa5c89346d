package fingerprint

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The packed real FFT must agree with gonum's general FFT.
func TestRealFFTMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]int16, frameSize)
	w := make([]float64, frameSize)
	xw := make([]float64, frameSize)
	for i := range x {
		x[i] = int16(rng.IntN(65536) - 32768)
		w[i] = rng.Float64()
		xw[i] = float64(x[i]) * w[i]
	}
	ref := fourier.NewFFT(frameSize).Coefficients(nil, xw)
	got := make([]float64, frameSize/2+1)
	newRealFFT(frameSize).power(x, w, got, 0, frameSize/2+1)
	for k, c := range ref {
		want := real(c)*real(c) + imag(c)*imag(c)
		if math.Abs(got[k]-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("bin %d: %g, want %g", k, got[k], want)
		}
	}
}

func BenchmarkRealFFT(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]int16, frameSize)
	for i := range x {
		x[i] = int16(rng.IntN(65536) - 32768)
	}
	f := newRealFFT(frameSize)
	out := make([]float64, frameSize/2+1)
	for range b.N {
		f.power(x, hamming[:], out, minIndex, maxIndex)
	}
}
