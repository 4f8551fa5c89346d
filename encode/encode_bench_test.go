package encode

import (
	"context"
	"math"
	"path/filepath"
	"testing"
)

// BenchmarkEncodeTrack encodes a 20 s 48 kHz/24-bit synthetic master
// through the whole pipeline (decode, resample, loudness, four rungs,
// preview).
func BenchmarkEncodeTrack(b *testing.B) {
	dir := b.TempDir()
	src := writeWAV(b, filepath.Join(dir, "m.wav"), wavSpec{48000, 2, 24, false}, 48000*20, func(i, c int) float64 {
		return 0.3*math.Sin(float64(i)*0.031*float64(c+1)) + 0.1*math.Sin(float64(i)*0.4)
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := EncodeTrack(context.Background(), src, filepath.Join(dir, "out"), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResample96to44 resamples ten seconds of 96 kHz stereo.
func BenchmarkResample96to44(b *testing.B) {
	in := make([]float32, 2*96000)
	for i := range in {
		in[i] = float32(math.Sin(float64(i) * 0.01))
	}
	b.SetBytes(int64(len(in) * 4 * 10))
	var out []float32
	for i := 0; i < b.N; i++ {
		r := NewResampler(96000, 44100, 2)
		for s := 0; s < 10; s++ {
			out = r.Write(out[:0], in)
		}
		out = r.Flush(out[:0])
	}
}
