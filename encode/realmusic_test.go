package encode

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// musicCache is where scripts/fetch-test-music.sh puts wesnoth-1.16-music.
func musicCache(t *testing.T, sub string) string {
	dir := os.Getenv("MUSIC_TEST_CACHE")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "musicctl", "music")
	}
	dir = filepath.Join(dir, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no test music in %s: run `make encode-test-music`", dir)
	}
	return dir
}

var ffmpegSummary = regexp.MustCompile(`(?s)Integrated loudness:\s+I:\s+(-?[\d.]+) LUFS.*LRA:\s+(-?[\d.]+) LU.*True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`)

// ffmpegLoudness runs the reference meter: ffmpeg -af ebur128=peak=true.
func ffmpegLoudness(t testing.TB, path string) (i, lra, tp float64) {
	out, err := exec.Command("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path,
		"-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	m := ffmpegSummary.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no ebur128 summary in ffmpeg output:\n%s", out)
	}
	i, _ = strconv.ParseFloat(m[1], 64)
	lra, _ = strconv.ParseFloat(m[2], 64)
	tp, _ = strconv.ParseFloat(m[3], 64)
	return i, lra, tp
}

// On real music, integrated loudness agrees with ffmpeg's ebur128 within
// 0.1 LU (ffmpeg prints one decimal), LRA within 0.2 LU, true peak within
// 0.3 dB (different oversampling filters).
func TestLoudnessMatchesFFmpeg(t *testing.T) {
	dir := musicCache(t, "cuts")
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			l, err := Analyze(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			i, lra, tp := ffmpegLoudness(t, f)
			t.Logf("ours I %.2f LRA %.2f TP %.2f; ffmpeg I %.1f LRA %.1f TP %.1f", l.Integrated, l.Range, l.TruePeak, i, lra, tp)
			if math.Abs(l.Integrated-i) > 0.1 {
				t.Errorf("integrated %.2f vs ffmpeg %.1f", l.Integrated, i)
			}
			if math.Abs(l.Range-lra) > 0.2 {
				t.Errorf("LRA %.2f vs ffmpeg %.1f", l.Range, lra)
			}
			if math.Abs(l.TruePeak-tp) > 0.3 {
				t.Errorf("true peak %.2f vs ffmpeg %.1f", l.TruePeak, tp)
			}
		})
	}
}

// A real FLAC master encodes gaplessly: every rendition decodes to the
// source's length (rate-scaled for the low rung).
func TestRealFLACGapless(t *testing.T) {
	src := filepath.Join(musicCache(t, "cuts"), "knolls-8s.flac")
	out := t.TempDir()
	res, err := EncodeTrack(context.Background(), src, out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rate := int64(res.Source.Format.SampleRate)
	for _, r := range res.Renditions {
		if r.Codec != "vorbis" {
			continue
		}
		want := (res.Source.Frames*int64(r.SampleRate) + rate - 1) / rate
		if got, _ := decodeOgg(t, filepath.Join(out, r.Path)); got != want {
			t.Errorf("%s: %d frames, want %d", r.Path, got, want)
		}
	}
}

// TestCorpusBitrates encodes the whole wesnoth corpus (MUSIC_CORPUS=1;
// over an hour on the busy shared box, so use -timeout 3h) and checks
// each rung's mean within ±15 % of nominal and every file within ±30 %. Digitally silent tracks
// (the corpus has one, silence.ogg) are left out: VBR spends almost no
// bits on silence (its 24k rung is 7.9 kbps), and no listener cares.
func TestCorpusBitrates(t *testing.T) {
	if os.Getenv("MUSIC_CORPUS") == "" {
		t.Skip("set MUSIC_CORPUS=1 to encode the whole corpus")
	}
	files, _ := filepath.Glob(filepath.Join(musicCache(t, "wav"), "*.wav"))
	type row struct {
		name string
		kbps map[string]float64
	}
	rows := make([]row, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 1) // EncodeTrack already uses every core
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := EncodeTrack(context.Background(), f, t.TempDir(), Options{})
			if err != nil {
				t.Error(err)
				return
			}
			if res.Loudness.Silent {
				t.Logf("%s: silent, left out", filepath.Base(f))
				return
			}
			rows[i] = row{filepath.Base(f), map[string]float64{}}
			for _, r := range res.Renditions {
				if r.Codec == "vorbis" {
					rows[i].kbps[r.Path] = float64(r.Actual) / 1000
				}
			}
		}()
	}
	wg.Wait()
	var sb strings.Builder
	for _, rg := range Ladder {
		name := rg.Name + ".ogg"
		nominal := float64(rg.Bitrate) / 1000
		var vals []float64
		for _, r := range rows {
			if r.kbps == nil {
				continue
			}
			v := r.kbps[name]
			vals = append(vals, v)
			if math.Abs(v/nominal-1) > 0.30 {
				t.Errorf("%s %s: %.1f kbps, more than 30 %% off %v", r.name, name, v, nominal)
			}
		}
		sort.Float64s(vals)
		mean := 0.0
		for _, v := range vals {
			mean += v
		}
		mean /= float64(len(vals))
		fmt.Fprintf(&sb, "%s: mean %.1f kbps (%+.1f %%), min %.1f, max %.1f over %d files\n", name, mean, 100*(mean/nominal-1), vals[0], vals[len(vals)-1], len(vals))
		if math.Abs(mean/nominal-1) > 0.15 {
			t.Errorf("%s: mean %.1f kbps, more than 15 %% off %v", name, mean, nominal)
		}
	}
	t.Log("\n" + sb.String())
}
