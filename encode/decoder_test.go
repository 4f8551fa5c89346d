package encode

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	music "github.com/openmusic/music"
)

// readAll decodes path fully (for small test files only).
func readAll(t *testing.T, path string) (Format, []float32) {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out []float32
	buf := make([]float32, 1000*d.Format().Channels)
	for {
		n, err := d.Read(buf)
		if n%d.Format().Channels != 0 {
			t.Fatalf("Read returned %d samples, not a multiple of %d channels", n, d.Format().Channels)
		}
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return d.Format(), out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestDecodeWAVFormats(t *testing.T) {
	dir := t.TempDir()
	gen := func(i, c int) float64 { return 0.5 * math.Sin(2*math.Pi*float64(i*(c+1))/100) }
	for _, s := range []wavSpec{
		{44100, 2, 16, false}, {48000, 1, 24, false}, {96000, 2, 32, false}, {44100, 2, 32, true},
	} {
		name := filepath.Join(dir, "t.wav")
		t.Run(fmtName(s), func(t *testing.T) {
			writeWAV(t, name, s, 1234, gen)
			f, pcm := readAll(t, name)
			if f.SampleRate != s.rate || f.Channels != s.ch || f.BitsPerSample != s.bits || f.Frames != 1234 {
				t.Fatalf("format %+v, want %+v", f, s)
			}
			if len(pcm) != 1234*s.ch {
				t.Fatalf("decoded %d samples, want %d", len(pcm), 1234*s.ch)
			}
			tol := math.Pow(2, -float64(min(s.bits, 24)-1))
			for i, v := range pcm {
				if d := math.Abs(float64(v) - gen(i/s.ch, i%s.ch)); d > tol {
					t.Fatalf("sample %d = %v, want %v", i, v, gen(i/s.ch, i%s.ch))
				}
			}
		})
	}
}

func fmtName(s wavSpec) string {
	k := "int"
	if s.float {
		k = "float"
	}
	return k + string(rune('0'+s.bits/10)) + string(rune('0'+s.bits%10))
}

// FLAC is lossless, so it must decode to the very samples of its source.
func TestDecodeFLACMatchesSource(t *testing.T) {
	_, want := readAll(t, "testdata/sine16.wav")
	f, got := readAll(t, "testdata/sine16.flac")
	if f.Codec != "flac" || f.Frames != 22050 || f.BitsPerSample != 16 {
		t.Fatalf("format %+v", f)
	}
	if len(got) != len(want) {
		t.Fatalf("len %d, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sample %d: %v != %v", i, got[i], want[i])
		}
	}
	f, got = readAll(t, "testdata/sine24.flac")
	if f.BitsPerSample != 24 || f.SampleRate != 48000 || int64(len(got)) != 2*f.Frames {
		t.Fatalf("24-bit: format %+v, %d samples", f, len(got))
	}
}

func TestDecodeVorbis(t *testing.T) {
	f, got := readAll(t, "testdata/sine.ogg")
	if f.Codec != "vorbis" || f.SampleRate != 44100 || f.Channels != 2 {
		t.Fatalf("format %+v", f)
	}
	// oggenc preserves the exact length through the granule position.
	if len(got) != 2*22050 || f.Frames != 22050 {
		t.Fatalf("decoded %d frames (header %d), want 22050", len(got)/2, f.Frames)
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path, code string
	}{
		{"empty", write("empty.wav", nil), music.EINVALID},
		{"mp3-tag-only", write("x.mp3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00rest of an mp3")), music.EINVALID},
		{"text", write("x.txt", []byte("hello world")), music.EUNSUPPORTED},
		{"opus", write("x.opus", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead")), music.EUNSUPPORTED},
		{"riff-only", write("short.wav", []byte("RIFF\x00\x00\x00\x00WAVE")), music.EINVALID},
		{"flac-magic-only", write("x.flac", []byte("fLaC")), music.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Open(c.path)
			if err == nil {
				d.Close()
				t.Fatal("Open succeeded")
			}
			if music.ErrorCode(err) != c.code {
				t.Fatalf("code %q (%v), want %q", music.ErrorCode(err), err, c.code)
			}
			var me *music.Error
			if !errors.As(err, &me) {
				t.Fatalf("not a domain error: %v", err)
			}
		})
	}
}
