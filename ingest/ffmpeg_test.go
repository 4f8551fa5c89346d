package ingest

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestFFmpegProber(t *testing.T) {
	res := "testdata/good/resources/" + goodUPC
	tests := []struct {
		file, codec string
		secs        float64
		err         string
	}{
		{res + "_01_01.flac", "flac", 3, ""},
		{res + "_01_02.wav", "pcm_s16le", 3, ""},
		{res + ".jpg", "", 0, "no audio stream"},
		{"testdata/bad/truncated-flac/resources/" + goodUPC + "_01_01.flac", "", 0, "decode failed"},
		{"testdata/absent.flac", "", 0, "decode failed"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			secs, codec, err := prober.Probe(context.Background(), tt.file)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Probe = %v, %q, %v; want error containing %q", secs, codec, err, tt.err)
				}
				return
			}
			if err != nil || codec != tt.codec || math.Abs(secs-tt.secs) > 0.01 {
				t.Fatalf("Probe = %v s, %q, %v; want %v s, %q", secs, codec, err, tt.secs, tt.codec)
			}
		})
	}
}
