package encode

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jfreymuth/oggvorbis"
)

// synthMaster writes a 48 kHz/24-bit WAV whose last 6 s are loud.
func synthMaster(t *testing.T, dir string, seconds float64) string {
	rate := 48000
	n := int(seconds * float64(rate))
	return writeWAV(t, filepath.Join(dir, "master.wav"), wavSpec{rate, 2, 24, false}, n, func(i, c int) float64 {
		amp := 0.05
		if i > n-6*rate {
			amp = 0.5
		}
		return amp * math.Sin(2*math.Pi*float64(220*(c+1))*float64(i)/float64(rate))
	})
}

func TestEncodeTrack(t *testing.T) {
	dir := t.TempDir()
	src := synthMaster(t, dir, 12)
	out := filepath.Join(dir, "out")
	var fractions []float64
	res, err := EncodeTrack(context.Background(), src, out, Options{
		Tags:     Tags{Title: "Tone", Artist: "Synth", Album: "Tests", TrackNumber: "1", ISRC: "XXA0A2600001"},
		Progress: func(f float64) { fractions = append(fractions, f) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fractions) == 0 || fractions[len(fractions)-1] != 1 {
		t.Fatalf("progress %v", fractions)
	}
	// A track shorter than 30 s previews whole.
	if !res.Preview.Hook || res.Preview.Start != 0 {
		t.Fatalf("preview %+v", res.Preview)
	}
	if math.Abs(res.Preview.Duration-12) > 1e-3 {
		t.Fatalf("preview duration %v", res.Preview.Duration)
	}
	js, err := os.ReadFile(filepath.Join(out, "rendition.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Renditions) != 5 {
		t.Fatalf("%d renditions", len(back.Renditions))
	}
	for _, r := range back.Renditions {
		st, err := os.Stat(filepath.Join(out, r.Path))
		if err != nil || st.Size() != r.Bytes || len(r.SHA256) != 64 {
			t.Fatalf("%s: %v size %d vs %d", r.Path, err, st.Size(), r.Bytes)
		}
		if r.Codec != "vorbis" {
			continue
		}
		// Gapless: the Go decoder returns exactly the source length,
		// scaled by the rate ratio for the low rung.
		want := (res.Source.Frames*int64(r.SampleRate) + 47999) / 48000
		got, comments := decodeOgg(t, filepath.Join(out, r.Path))
		if got != want || r.Samples != want {
			t.Errorf("%s: decoded %d frames, json %d, want %d", r.Path, got, r.Samples, want)
		}
		for _, c := range []string{"TITLE=Tone", "ISRC=XXA0A2600001", "REPLAYGAIN_TRACK_GAIN=", "REPLAYGAIN_REFERENCE_LOUDNESS=-18.00 LUFS"} {
			if !strings.Contains(comments, c) {
				t.Errorf("%s: missing %q in %q", r.Path, c, comments)
			}
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, ".encode-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// The hook is the loudest 30 s: here the block energies are loud from
// 50 s to 80 s of 100 s, so the window must start at 50 s.
func TestHookStart(t *testing.T) {
	blocks := make([]float64, 997) // 100 s of 400 ms blocks every 100 ms
	for i := range blocks {
		blocks[i] = 1e-4
		if i >= 500 && i+4 <= 800 {
			blocks[i] = 1e-1
		}
	}
	if got := HookStart(blocks); math.Abs(got-50) > 0.05 {
		t.Fatalf("hook at %.1f s, want 50", got)
	}
	if got := HookStart(blocks[:200]); got != 0 {
		t.Fatalf("short track: hook at %.1f s, want 0", got)
	}
}

func decodeOgg(t *testing.T, path string) (int64, string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := oggvorbis.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 8192)
	var n int64
	for {
		k, err := r.Read(buf)
		n += int64(k / r.Channels())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return n, strings.Join(r.CommentHeader().Comments, "\n")
}
