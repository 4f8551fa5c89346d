package encode

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
)

// wavSpec describes a WAV file a test writes.
type wavSpec struct {
	rate, ch, bits int
	float          bool
}

// writeWAV writes interleaved samples in [-1, 1] as a WAV file and returns
// its path. gen(i) gives sample i of n*ch.
func writeWAV(t testing.TB, path string, s wavSpec, frames int, gen func(frame, ch int) float64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bps := s.bits / 8
	dataLen := frames * s.ch * bps
	tag := uint16(wavePCM)
	if s.float {
		tag = waveFloat
	}
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+dataLen))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], tag)
	binary.LittleEndian.PutUint16(h[22:], uint16(s.ch))
	binary.LittleEndian.PutUint32(h[24:], uint32(s.rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(s.rate*s.ch*bps))
	binary.LittleEndian.PutUint16(h[32:], uint16(s.ch*bps))
	binary.LittleEndian.PutUint16(h[34:], uint16(s.bits))
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(dataLen))
	if _, err := f.Write(h); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 1<<16)
	for i := 0; i < frames; i++ {
		for c := 0; c < s.ch; c++ {
			v := gen(i, c)
			switch {
			case s.float:
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
			case s.bits == 16:
				buf = binary.LittleEndian.AppendUint16(buf, uint16(int16(clampInt(v, 15))))
			case s.bits == 24:
				x := uint32(clampInt(v, 23))
				buf = append(buf, byte(x), byte(x>>8), byte(x>>16))
			case s.bits == 32:
				buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(clampInt(v, 31))))
			}
		}
		if len(buf) > 1<<15 {
			f.Write(buf)
			buf = buf[:0]
		}
	}
	if _, err := f.Write(buf); err != nil {
		t.Fatal(err)
	}
	return path
}

func clampInt(v float64, bits uint) int64 {
	m := float64(int64(1) << bits)
	x := math.Round(v * m)
	return int64(math.Max(-m, math.Min(m-1, x)))
}
