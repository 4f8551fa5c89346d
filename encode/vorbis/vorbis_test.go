package vorbis

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/jfreymuth/oggvorbis"
)

// Every mode must decode to exactly the frames written: gapless.
func TestGaplessLength(t *testing.T) {
	for _, c := range []struct {
		name   string
		o      Options
		frames int
	}{
		{"nominal-96k", Options{Rate: 44100, Channels: 2, Mode: Nominal, Bitrate: 96000}, 44100*2 + 123},
		{"nominal-24k-22050-mono", Options{Rate: 22050, Channels: 1, Mode: Nominal, Bitrate: 24000}, 22050 + 7},
		{"quality", Options{Rate: 44100, Channels: 2, Mode: Quality, Quality: 0.4}, 1000},
		{"managed-160k", Options{Rate: 44100, Channels: 2, Mode: Managed, Bitrate: 160000}, 20000},
		{"one-sample", Options{Rate: 44100, Channels: 2, Mode: Nominal, Bitrate: 96000}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			e, err := New(&buf, c.o)
			if err != nil {
				t.Fatal(err)
			}
			pcm := make([]float32, c.frames*c.o.Channels)
			for i := range pcm {
				pcm[i] = float32(0.4 * math.Sin(float64(i/c.o.Channels)*0.05))
			}
			// Feed in odd-sized chunks.
			for len(pcm) > 0 {
				n := min(len(pcm), 777*c.o.Channels)
				if err := e.Write(pcm[:n]); err != nil {
					t.Fatal(err)
				}
				pcm = pcm[n:]
			}
			h, err := e.Finish([]string{"TITLE=Test tone", "REPLAYGAIN_TRACK_GAIN=-1.23 dB"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := oggvorbis.NewReader(bytes.NewReader(append(h, buf.Bytes()...)))
			if err != nil {
				t.Fatal(err)
			}
			if r.SampleRate() != c.o.Rate || r.Channels() != c.o.Channels {
				t.Fatalf("decoded %d Hz %d ch", r.SampleRate(), r.Channels())
			}
			got := 0
			out := make([]float32, 4096*c.o.Channels)
			for {
				n, err := r.Read(out)
				got += n / c.o.Channels
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if got != c.frames {
				t.Fatalf("decoded %d frames, wrote %d", got, c.frames)
			}
			cm := strings.Join(r.CommentHeader().Comments, "\n")
			if !strings.Contains(cm, "TITLE=Test tone") || !strings.Contains(cm, "REPLAYGAIN_TRACK_GAIN=-1.23 dB") {
				t.Fatalf("comments: %q", cm)
			}
		})
	}
}

// libvorbisenc refuses 24 kbps at 44.1 kHz stereo; the error says so.
func TestRefusedSetup(t *testing.T) {
	_, err := New(io.Discard, Options{Rate: 44100, Channels: 2, Mode: Nominal, Bitrate: 24000})
	if err == nil || !strings.Contains(err.Error(), "refuses") {
		t.Fatalf("err = %v", err)
	}
}
