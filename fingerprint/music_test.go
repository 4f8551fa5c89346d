package fingerprint

import (
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/openmusic/music/encode"
)

// long enables the real-music measurements (recall, thresholds, fpcalc
// agreement on every track): go test ./fingerprint -long -run Music -v
var long = flag.Bool("long", false, "run the long real-music measurements")

// musicDir returns the directory of 16-bit WAV masters made from the
// wesnoth-1.16-music package (see mk/fingerprint.mk), or skips the test
// with a notice when they have not been fetched.
func musicDir(t testing.TB) string {
	t.Helper()
	base := os.Getenv("MUSIC_TEST_CACHE")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache", "musicctl", "music")
	}
	dir := filepath.Join(base, "wav")
	if m, _ := filepath.Glob(filepath.Join(dir, "*.wav")); len(m) < 3 {
		t.Skipf("NOTICE: real test music not found in %s; run `make fingerprint-music` to fetch it", dir)
	}
	return dir
}

// musicTracks lists the WAV masters in name order.
func musicTracks(t testing.TB) []string {
	m, _ := filepath.Glob(filepath.Join(musicDir(t), "*.wav"))
	sort.Strings(m)
	return m
}

// needTool skips when a reference tool is missing.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("NOTICE: %s not installed (make deps installs it)", name)
	}
}

// run executes a tool and fails the test on error.
func run(t testing.TB, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// fileItems fingerprints a file with fpcalc's default settings or with a
// limit (0 = whole file).
func fileItems(t testing.TB, path string, maxSeconds float64) []uint32 {
	t.Helper()
	res, err := FromFile(context.Background(), path, Options{MaxSeconds: maxSeconds})
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

// pcm is decoded audio held in memory (tests only; clips are short).
type pcm struct {
	format  encode.Format
	samples []float32
}

// itemsOf fingerprints in-memory audio the fpcalc way.
func itemsOf(t testing.TB, p pcm) []uint32 {
	t.Helper()
	s, err := NewStream(p.format.SampleRate, p.format.Channels, p.format.BitsPerSample, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(p.samples)
	items, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// addNoise adds white noise at snrDB below the signal's RMS.
func addNoise(p pcm, snrDB float64, rng *rand.Rand) pcm {
	var e float64
	for _, v := range p.samples {
		e += float64(v) * float64(v)
	}
	rms := 0.0
	if len(p.samples) > 0 {
		rms = e / float64(len(p.samples))
	}
	sigma := float32(math.Sqrt(rms / math.Pow(10, snrDB/10)))
	out := make([]float32, len(p.samples))
	for i, v := range p.samples {
		out[i] = v + sigma*float32(rng.NormFloat64())
	}
	return pcm{encode.Format{SampleRate: p.format.SampleRate, Channels: p.format.Channels, Frames: -1}, out}
}
