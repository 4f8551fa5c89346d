package encode

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Bad masters give a clear EINVALID error or a correct result, never a
// panic, and never leave files in the output directory.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	gen := func(i, c int) float64 { return 0.25 }
	good := writeWAV(t, filepath.Join(dir, "good.wav"), wavSpec{44100, 2, 16, false}, 44100, gen)
	raw, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	patch := func(off int, v uint32) []byte {
		b := append([]byte(nil), raw...)
		binary.LittleEndian.PutUint32(b[off:], v)
		return b
	}
	flac, _ := os.ReadFile("testdata/sine16.flac")
	corrupt := append([]byte(nil), flac...)
	for i := len(corrupt) / 2; i < len(corrupt)/2+64; i++ {
		corrupt[i] ^= 0x5a
	}
	cases := []struct {
		name   string
		path   string
		code   string // "" means it must succeed
		frames int64
	}{
		{"truncated-wav", write("trunc.wav", raw[:len(raw)/2]), music.EINVALID, 0},
		{"truncated-mid-frame", write("trunc3.wav", raw[:len(raw)-1]), music.EINVALID, 0},
		{"corrupt-flac-frame", write("corrupt.flac", corrupt), music.EINVALID, 0},
		{"truncated-flac", write("trunc.flac", flac[:len(flac)*2/3]), music.EINVALID, 0},
		{"zero-length", write("empty.wav", nil), music.EINVALID, 0},
		{"unsupported", write("x.aiff", []byte("FORM\x00\x00\x00\x04AIFF")), music.EUNSUPPORTED, 0},
		{"data-size-too-big", write("lie-big.wav", patch(40, 1<<30)), music.EINVALID, 0},
		{"riff-size-lies", write("lie-riff.wav", patch(4, 12345)), "", 44100},
		{"data-size-streaming", write("lie-ffff.wav", patch(40, 0xFFFFFFFF)), "", 44100},
		{"data-size-zero", write("lie-zero.wav", patch(40, 0)), "", 44100},
		{"one-sample", writeWAV(t, filepath.Join(dir, "one.wav"), wavSpec{44100, 2, 16, false}, 1, gen), "", 1},
		{"silence", writeWAV(t, filepath.Join(dir, "silence.wav"), wavSpec{48000, 2, 24, false}, 48000*3, func(int, int) float64 { return 0 }), "", 144000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, frames, perr := Probe(c.path)
			out := filepath.Join(dir, "out-"+c.name)
			res, err := EncodeTrack(context.Background(), c.path, out, Options{})
			if c.code != "" {
				if music.ErrorCode(perr) != c.code || music.ErrorCode(err) != c.code {
					t.Fatalf("Probe: %v; EncodeTrack: %v; want code %s", perr, err, c.code)
				}
				t.Logf("error: %v", err)
				if ents, _ := os.ReadDir(out); len(ents) != 0 {
					t.Fatalf("output left behind: %v", ents)
				}
				return
			}
			if perr != nil || err != nil {
				t.Fatalf("Probe: %v; EncodeTrack: %v", perr, err)
			}
			if frames != c.frames || res.Source.Frames != c.frames {
				t.Fatalf("frames %d / %d, want %d", frames, res.Source.Frames, c.frames)
			}
			for _, r := range res.Renditions {
				if r.Codec != "vorbis" {
					continue
				}
				rate := int64(res.Source.Format.SampleRate)
				want := (c.frames*int64(r.SampleRate) + rate - 1) / rate
				if got, _ := decodeOgg(t, filepath.Join(out, r.Path)); got != want {
					t.Errorf("%s: %d frames, want %d", r.Path, got, want)
				}
			}
			if c.name == "silence" && (!res.Loudness.Silent || res.Loudness.Gain != 0) {
				t.Fatalf("silence measured as %+v", res.Loudness)
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes to Open and reads everything: errors
// are fine, panics and hangs are not. Seeds: the testdata masters and
// their truncations; testdata/fuzz/FuzzDecode keeps what fuzzing found.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"testdata/sine16.wav", "testdata/sine24.flac", "testdata/sine.ogg", "testdata/sine.mp3"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 6000)])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if dbg := os.Getenv("FUZZ_LAST"); dbg != "" {
			os.WriteFile(dbg, data, 0o644)
		}
		done := make(chan string, 1)
		go func() { done <- decodeAll(p) }()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("decoding hangs")
		}
	})
}

// decodeAll opens and reads path to the end; it returns a description of
// a contract violation, or "".
func decodeAll(p string) string {
	{
		d, err := Open(p)
		if err != nil {
			return ""
		}
		defer d.Close()
		ch := d.Format().Channels
		if ch < 1 || ch > maxChannels {
			return fmt.Sprintf("bad channel count %d", ch)
		}
		buf := make([]float32, 1024*ch)
		for i := 0; i < 1<<16; i++ {
			n, err := d.Read(buf)
			if n%ch != 0 {
				return fmt.Sprintf("partial frame: %d samples, %d channels", n, ch)
			}
			if err != nil {
				if err != io.EOF && music.ErrorCode(err) != music.EINVALID {
					return fmt.Sprintf("error without EINVALID code: %v", err)
				}
				return ""
			}
		}
		return ""
	}
}
