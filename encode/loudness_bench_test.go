package encode

import (
	"math"
	"math/rand"
	"testing"
)

// BenchmarkMeter measures one minute of 44.1 kHz stereo noise-like music.
func BenchmarkMeter(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	buf := make([]float32, 2*44100)
	for i := range buf {
		buf[i] = float32(0.3 * rng.NormFloat64() * (1 + math.Sin(float64(i)/9000)))
	}
	b.SetBytes(int64(len(buf) * 4 * 60))
	for i := 0; i < b.N; i++ {
		m := NewMeter(44100, 2)
		for s := 0; s < 60; s++ {
			m.Write(buf)
		}
		_ = m.Loudness()
	}
}
