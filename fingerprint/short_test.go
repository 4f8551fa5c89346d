package fingerprint

import (
	"math"
	"slices"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestFingerprinterBadInput(t *testing.T) {
	f := NewFingerprinter()
	if err := f.Feed([]int16{1}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("Feed before Start: %v", err)
	}
	tests := []struct {
		name      string
		rate, ch  int
		wantStart string
	}{
		{"zero channels", 44100, 0, "channel"},
		{"nine channels", 44100, 9, "channel"},
		{"rate too low", 500, 2, "sample rate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := f.Start(tc.rate, tc.ch); music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tc.wantStart) {
				t.Fatalf("Start = %v", err)
			}
		})
	}
	f.Start(44100, 2)
	if err := f.Feed([]int16{1, 2, 3}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("odd stereo feed: %v", err)
	}
	// One second is shorter than MinDuration.
	f.Feed(make([]int16, 2*44100))
	if _, err := f.Finish(); music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "too short") {
		t.Errorf("Finish of 1 s: %v", err)
	}
}

func TestStreamTooShort(t *testing.T) {
	s, err := NewStream(44100, 2, 16, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(make([]float32, 2*44100*2))
	if _, err := s.Finish(); music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "too short") {
		t.Fatalf("Finish of 2 s: %v", err)
	}
}

// The resampler must turn the 44.1 kHz and 8 kHz fixtures into (nearly)
// the 11025 Hz fixture of the same audio.
func TestResamplerMatchesFixture(t *testing.T) {
	want := loadRaw(t, "test_mono_11025.raw")
	for _, tc := range []struct {
		file string
		rate int
	}{{"test_mono_44100.raw", 44100}, {"test_mono_8000.raw", 8000}} {
		t.Run(tc.file, func(t *testing.T) {
			for _, swr := range []bool{false, true} {
				rs := newResampler(resamplerConfig{inRate: tc.rate, outRate: SampleRate, filterSize: 16, phaseShift: 8,
					cutoff: 0.8, linear: swr, exactRational: swr, reflectTail: swr})
				got := rs.writeInt16(loadRaw(t, tc.file), nil)
				got = rs.flushInt16(got)
				n := min(len(got), len(want))
				var diff, sig float64
				for i := 0; i < n; i++ {
					d := float64(got[i]) - float64(want[i])
					diff += d * d
					sig += float64(want[i]) * float64(want[i])
				}
				snr := 10 * math.Log10(sig/max(diff, 1e-9))
				t.Logf("swr=%v: %d samples (fixture %d), SNR vs fixture %.1f dB", swr, len(got), len(want), snr)
				if !swr && tc.rate == 44100 && !slices.Equal(got, want) {
					t.Errorf("Chromaprint's resampler must reproduce the 11025 Hz fixture exactly")
				}
				if abs(len(got)-len(want)) > 20 || snr < 20 {
					t.Errorf("swr=%v: %d samples, SNR %.1f dB", swr, len(got), snr)
				}
			}
		})
	}
}

func abs(x int) int { return max(x, -x) }
