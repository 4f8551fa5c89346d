package fingerprint

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// 16-bit WAV takes a shortcut (ReadInt16, no float32 round trip) unless
// the PCM is hashed; both ways must give the same fingerprint, for the
// stereo mix and for the generic mix of more channels, at a rate that
// needs the symmetric whole-step resampler and at one that does not.
func TestInt16PathMatchesFloatPath(t *testing.T) {
	needTool(t, "ffmpeg")
	src := filepath.Join(musicDir(t), "sad.wav")
	dir := t.TempDir()
	stereo48 := filepath.Join(dir, "stereo48.wav")
	three := filepath.Join(dir, "three.wav")
	run(t, "ffmpeg", "-nostdin", "-v", "error", "-t", "30", "-i", src, "-ar", "48000", "-c:a", "pcm_s16le", stereo48)
	run(t, "ffmpeg", "-nostdin", "-v", "error", "-t", "30", "-i", src, "-af", "pan=3c|c0=c0|c1=c1|c2=0.5*c0+0.5*c1", "-c:a", "pcm_s16le", three)
	for _, path := range []string{src, stereo48, three} {
		for _, length := range []float64{20, 0} {
			fast, err := FromFile(context.Background(), path, Options{MaxSeconds: length})
			if err != nil {
				t.Fatal(err)
			}
			slow, err := FromFile(context.Background(), path, Options{MaxSeconds: length, HashPCM: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fast.Items, slow.Items) || fast.Duration != slow.Duration {
				t.Errorf("%s -length %v: int16 path differs from float path (%d vs %d items, duration %v vs %v)",
					filepath.Base(path), length, len(fast.Items), len(slow.Items), fast.Duration, slow.Duration)
			}
		}
	}
}
