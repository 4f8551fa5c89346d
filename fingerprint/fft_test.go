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
	x := make([]float64, frameSize)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	ref := fourier.NewFFT(frameSize).Coefficients(nil, x)
	got := make([]float64, frameSize/2+1)
	newRealFFT(frameSize).power(x, got, 0, frameSize/2+1)
	for k, c := range ref {
		want := real(c)*real(c) + imag(c)*imag(c)
		if math.Abs(got[k]-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("bin %d: %g, want %g", k, got[k], want)
		}
	}
}

func BenchmarkRealFFT(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, frameSize)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	f := newRealFFT(frameSize)
	out := make([]float64, frameSize/2+1)
	for range b.N {
		f.power(x, out, minIndex, maxIndex)
	}
}
