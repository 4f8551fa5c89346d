package encode

import (
	"io"
	"math"
	"path/filepath"
	"testing"
)

// ReadInt16 must deliver exactly what Read does, times 32768, and only
// 16-bit integer WAV offers it.
func TestReadInt16MatchesRead(t *testing.T) {
	dir := t.TempDir()
	gen := func(i, c int) float64 { return math.Sin(float64(i*(c+3))/7) * (1 - float64(c)*0.3) }
	path := writeWAV(t, filepath.Join(dir, "s16.wav"), wavSpec{44100, 3, 16, false}, 10007, gen)
	_, want := readAll(t, path)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r, ok := AsInt16(d)
	if !ok {
		t.Fatal("16-bit WAV does not offer ReadInt16")
	}
	var got []int16
	buf := make([]int16, 999*3) // blocks that do not divide the length
	for {
		n, err := r.ReadInt16(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d samples, want %d", len(got), len(want))
	}
	for i := range got {
		if float32(got[i])/32768 != want[i] {
			t.Fatalf("sample %d: %d, Read gives %v", i, got[i], want[i])
		}
	}
	for _, s := range []wavSpec{{44100, 2, 24, false}, {44100, 2, 32, true}} {
		p := writeWAV(t, filepath.Join(dir, fmtName(s)+".wav"), s, 100, gen)
		d, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := AsInt16(d); ok {
			t.Errorf("%s offers ReadInt16", fmtName(s))
		}
		d.Close()
	}
}
