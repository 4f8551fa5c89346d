package audiofeatures

import (
	"math"
	"math/rand/v2"
	"testing"

	music "github.com/openmusic/music"
)

const testRate = 44100

// synth renders a chord progression in a key with a percussive attack on
// every beat: stereo, interleaved, at testRate. Chords are the triads on
// the given scale degrees (semitones above the tonic), each held one bar.
func synth(tonic int, minor bool, bpm float64, seconds float64) []float32 {
	third := 4
	if minor {
		third = 3
	}
	// I, IV, V, I as root offsets with the chord quality of the scale.
	bars := [][3]int{{0, third, 7}, {5, 5 + third, 12}, {7, 11, 14}, {0, third, 7}}
	n := int(seconds * testRate)
	out := make([]float32, 2*n)
	beat := 60 / bpm
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		t := float64(i) / testRate
		b := int(t / beat)
		chord := bars[(b/4)%len(bars)]
		since := t - float64(b)*beat
		env := math.Exp(-since * 6)
		var s float64
		for _, st := range chord {
			f := 261.63 * math.Pow(2, float64(tonic+st)/12)
			for h := 1; h <= 3; h++ {
				s += math.Sin(2*math.Pi*f*float64(h)*t) / float64(h)
			}
		}
		s *= 0.08 * (0.4 + env)
		if since < 0.03 { // a noise click on each beat
			s += 0.3 * (r.Float64()*2 - 1) * (1 - since/0.03)
		}
		out[2*i], out[2*i+1] = float32(s), float32(s)
	}
	return out
}

func analyze(pcm []float32, chunk int) music.AudioFeatures {
	a := New(testRate, 2)
	for len(pcm) > 0 {
		n := min(chunk*2, len(pcm))
		a.Write(pcm[:n])
		pcm = pcm[n:]
	}
	return a.Features(-14)
}

func TestTempoAndKey(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tonic int
		minor bool
		bpm   float64
	}{
		{"C major 120", 0, false, 120},
		{"A minor 96", 9, true, 96},
		{"F# major 136", 6, false, 136},
		{"D minor 104", 2, true, 104},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := analyze(synth(tc.tonic, tc.minor, tc.bpm, 20), 4096)
			if math.Abs(f.Tempo-tc.bpm)/tc.bpm > 0.02 {
				t.Errorf("tempo %.2f, want %.0f ±2%%", f.Tempo, tc.bpm)
			}
			wantMode := 1
			if tc.minor {
				wantMode = 0
			}
			if f.Key != tc.tonic || f.Mode != wantMode {
				t.Errorf("key %s (%d/%d), want %s", KeyName(f), f.Key, f.Mode, KeyName(music.AudioFeatures{Key: tc.tonic, Mode: wantMode}))
			}
			if f.BeatStrength < 0.2 || f.Danceability <= 0 {
				t.Errorf("beat strength %.3f, danceability %.3f: a click track should have a strong beat", f.BeatStrength, f.Danceability)
			}
			if f.OnsetRate < 0.8*tc.bpm/60 || f.OnsetRate > 2.5*tc.bpm/60 {
				t.Errorf("onset rate %.2f/s for %.0f BPM clicks", f.OnsetRate, tc.bpm)
			}
		})
	}
}

// Chunking must not change the result: the analyzer streams.
func TestChunkingInvariant(t *testing.T) {
	pcm := synth(4, false, 110, 12)
	a, b := analyze(pcm, 65536), analyze(pcm, 333)
	if a != b {
		t.Fatalf("65536-frame chunks give %+v, 333-frame chunks %+v", a, b)
	}
}

func TestSilenceAndNoise(t *testing.T) {
	silent := analyze(make([]float32, 2*testRate*10), 4096)
	if silent.Tempo != 0 || silent.Key != -1 || silent.Energy != 0 {
		t.Errorf("silence: %+v, want no tempo, no key, zero energy", silent)
	}
	r := rand.New(rand.NewPCG(3, 4))
	noise := make([]float32, 2*testRate*10)
	for i := range noise {
		noise[i] = float32(r.Float64()*2-1) * 0.5
	}
	n := analyze(noise, 4096)
	if n.Brightness < 0.5 || n.SpectralCentroid < 2000 {
		t.Errorf("white noise: brightness %.3f, centroid %.0f Hz; want most power high", n.Brightness, n.SpectralCentroid)
	}
	if n.Energy <= silent.Energy {
		t.Errorf("noise energy %.3f not above silence %.3f", n.Energy, silent.Energy)
	}
	// Too short for a tempo: no panic, no beat.
	if s := analyze(synth(0, false, 120, 1), 4096); s.Tempo != 0 {
		t.Errorf("1 s clip: tempo %.1f, want 0 (needs 4 s)", s.Tempo)
	}
}
