package connectclient

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

func TestWAVSink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &wavSink{w: f}
	// 4 stereo frames at 44.1 kHz, then 2 mono frames at 22.05 kHz (which
	// become 4 frames: rate and channels follow the first format).
	if err := s.Write([]float32{0, 0, 1, -1, 0.5, -0.5, 2, -2}, 44100, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.Write([]float32{0.25, -0.25}, 22050, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || le.Uint16(b[22:]) != 2 || le.Uint32(b[24:]) != 44100 ||
		le.Uint32(b[40:]) != 8*4 || le.Uint32(b[4:]) != 36+8*4 || len(b) != 44+8*4 {
		t.Fatalf("header %x, %d bytes", b[:44], len(b))
	}
	var got []int16
	for i := 44; i < len(b); i += 2 {
		got = append(got, int16(le.Uint16(b[i:])))
	}
	want := []int16{0, 0, 32767, -32767, 16384, -16384, 32767, -32767, 8192, 8192, 8192, 8192, -8192, -8192, -8192, -8192}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("samples %v, want %v", got, want)
		}
	}
}
