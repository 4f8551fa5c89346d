package fingerprint

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmusic/music/encode"
)

// variant returns a re-encoded or edited copy of a master, made once with
// the reference tools and kept next to the masters (outside the repo).
func variant(t testing.TB, master, kind string) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(filepath.Dir(master)), "fingerprint-variants", kind)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(master))
	if _, err := os.Stat(out); err == nil {
		return out
	}
	tmp := out + ".tmp.wav"
	switch kind {
	case "mp3-24k":
		needTool(t, "lame")
		mp3 := out + ".mp3"
		run(t, "lame", "--quiet", "-b", "24", master, mp3)
		run(t, "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", mp3, "-ar", "44100", "-c:a", "pcm_s16le", tmp)
		os.Remove(mp3)
	case "trim3":
		run(t, "sox", master, tmp, "trim", "3")
	case "pad2":
		run(t, "sox", master, tmp, "pad", "2", "0")
	case "gain":
		run(t, "sox", master, tmp, "vol", "0.5")
	case "remaster":
		// A remaster-like change: bass and presence boosted, highs cut,
		// dynamics compressed, loudness normalised.
		run(t, "sox", master, tmp, "equalizer", "90", "1q", "+9", "equalizer", "2500", "1.5q", "+6",
			"treble", "-8", "compand", "0.005,0.1", "-60,-60,-30,-12,0,-4", "gain", "-n", "-1")
	default:
		t.Fatalf("unknown variant %s", kind)
	}
	if err := os.Rename(tmp, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// readWindows decodes several windows of n frames in one pass.
func readWindows(t testing.TB, path string, from []int64, n int64) []pcm {
	t.Helper()
	d, err := encode.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	f := d.Format()
	ch := int64(f.Channels)
	out := make([]pcm, len(from))
	for i := range out {
		out[i].format = f
	}
	buf := make([]float32, 4096*ch)
	var pos int64
	for {
		k, err := d.Read(buf)
		for w, s := range from {
			lo, hi := max(s, pos), min(s+n, pos+int64(k)/ch)
			if lo < hi {
				out[w].samples = append(out[w].samples, buf[(lo-pos)*ch:(hi-pos)*ch]...)
			}
		}
		pos += int64(k) / ch
		if err != nil {
			break
		}
	}
	return out
}

// TestMusicRecall measures identification of 10 s clips at random offsets
// against an index of 31 tracks, and false matches with clips of the 10
// tracks left out. Targets: clean ≥ 99 %, 24 kbps ≥ 95 %, white noise at
// 10 dB SNR ≥ 90 %, zero false matches.
func TestMusicRecall(t *testing.T) {
	if !*long {
		t.Skip("needs -long")
	}
	ctx := context.Background()
	tracks := musicTracks(t)
	if len(tracks) < 41 {
		t.Skipf("NOTICE: want the 41 wesnoth tracks, found %d", len(tracks))
	}
	indexed, unrelated := tracks[:31], tracks[31:]
	ix, err := OpenIndex(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	frames := map[string]int64{}
	for _, tr := range indexed {
		res, err := FromFile(ctx, tr, Options{})
		if err != nil {
			t.Fatal(err)
		}
		frames[tr] = int64(res.Duration * 44100)
		if err := ix.Add(ctx, filepath.Base(tr), Entry{Items: res.Items}); err != nil {
			t.Fatal(err)
		}
	}
	const clipFrames = 10 * 44100
	const perTrack = 4
	rng := rand.New(rand.NewPCG(4, 2026))
	check := func(mode string, want float64) {
		ok, total, offsetMiss := 0, 0, 0
		var worst float64
		for _, tr := range indexed {
			if frames[tr] < 20*44100 {
				continue // jingles and the silent track give no 10 s clips
			}
			src := tr
			if mode == "mp3-24k" {
				src = variant(t, tr, mode)
			}
			var from []int64
			for i := 0; i < perTrack; i++ {
				from = append(from, rng.Int64N(frames[tr]-clipFrames-44100))
			}
			for i, clip := range readWindows(t, src, from, clipFrames) {
				if mode == "noise10" {
					clip = addNoise(clip, 10, rng)
				}
				total++
				id, err := ix.Identify(ctx, itemsOf(t, clip))
				if err != nil {
					t.Logf("%s %s @%.1fs: %v", mode, filepath.Base(tr), float64(from[i])/44100, err)
					continue
				}
				if id.TrackID != filepath.Base(tr) {
					t.Errorf("%s %s @%.1fs: wrong track %s @%.1fs (BER %.3f)", mode, filepath.Base(tr), float64(from[i])/44100, id.TrackID, id.OffsetSeconds, id.BitErrorRate)
					continue
				}
				if math.Abs(id.OffsetSeconds-float64(from[i])/44100) > 0.5 {
					// Music repeats: the clip matched an equal passage.
					t.Logf("%s %s @%.1fs: found at %.1fs instead (BER %.3f), a repeated passage", mode, filepath.Base(tr), float64(from[i])/44100, id.OffsetSeconds, id.BitErrorRate)
					offsetMiss++
				}
				worst = max(worst, id.BitErrorRate)
				ok++
			}
		}
		recall := float64(ok) / float64(total)
		t.Logf("recall %-8s %d/%d = %.1f%% (worst accepted BER %.3f; %d found at a repeated passage)", mode, ok, total, 100*recall, worst, offsetMiss)
		if recall < want {
			t.Errorf("recall %s %.3f < %.2f", mode, recall, want)
		}
	}
	check("clean", 0.99)
	check("mp3-24k", 0.95)
	check("noise10", 0.90)

	// Unrelated music: every answer is a false match.
	falses, total := 0, 0
	var best = 0.5
	for _, tr := range unrelated {
		d, _ := FromFile(ctx, tr, Options{})
		n := int64(d.Duration * 44100)
		var from []int64
		for i := 0; i < 8 && n > clipFrames+44100; i++ {
			from = append(from, rng.Int64N(n-clipFrames-44100))
		}
		for _, clip := range readWindows(t, tr, from, clipFrames) {
			total++
			items := itemsOf(t, clip)
			if hits, _ := ix.Query(ctx, items, 1, 0); len(hits) > 0 {
				best = min(best, hits[0].BitErrorRate)
			}
			if id, err := ix.Identify(ctx, items); err == nil {
				falses++
				t.Errorf("false match: clip of %s identified as %s (BER %.3f)", filepath.Base(tr), id.TrackID, id.BitErrorRate)
			} else if !strings.Contains(err.Error(), "no indexed track") {
				t.Errorf("unrelated clip: unexpected error %v", err)
			}
		}
	}
	t.Logf("unrelated clips: %d false matches of %d; lowest BER of any best candidate %.3f", falses, total, best)
}
