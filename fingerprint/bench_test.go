package fingerprint

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkIdentify100k builds an index of 100,000 synthetic tracks of
// 1500 items (about 3 minutes each) and identifies 2,000 clips of 59
// items (10 s) cut at random offsets with a fraction FP_BENCH_BER
// (default 0.05) of their bits flipped at random; real clips measured
// 0.02–0.11, concentrated in the unstable bits the query probes. It
// reports lookup latency percentiles and index memory per track.
//
//	go test -run XXX -bench Identify100k -benchtime 1x -timeout 30m ./fingerprint
func BenchmarkIdentify100k(b *testing.B) {
	const tracks, items, clips = 100_000, 1500, 2000
	ctx := context.Background()
	ix, err := OpenIndex(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	rng := rand.New(rand.NewPCG(100, 100))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	seeds := make([]uint64, tracks)
	for lo := 0; lo < tracks; lo += 1000 {
		var ids []string
		var es []Entry
		for i := lo; i < lo+1000; i++ {
			seeds[i] = rng.Uint64()
			ids = append(ids, fmt.Sprintf("track-%06d", i))
			es = append(es, Entry{Items: synthTrack(rand.New(rand.NewPCG(seeds[i], 1)), items)})
		}
		if err := ix.AddMany(ctx, ids, es); err != nil {
			b.Fatal(err)
		}
	}
	build := time.Since(start)
	// Fold the delta so the measurement sees the steady state.
	ix.mu.Lock()
	ix.post.main = mergeSorted(make([]uint64, 0, ix.post.len()), ix.post.main, ix.post.delta)
	ix.post.delta = nil
	ix.mu.Unlock()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	perTrack := float64(after.HeapAlloc-before.HeapAlloc) / tracks
	b.Logf("built %d tracks in %v; heap %.0f MB = %.0f bytes/track; %d postings", tracks, build.Round(time.Millisecond),
		float64(after.HeapAlloc-before.HeapAlloc)/1e6, perTrack, ix.post.len())

	ber := 0.05
	if v, err := strconv.ParseFloat(os.Getenv("FP_BENCH_BER"), 64); err == nil {
		ber = v
	}
	b.ResetTimer()
	for range b.N {
		lat := make([]time.Duration, 0, clips)
		wrong := 0
		for c := 0; c < clips; c++ {
			want := rng.IntN(tracks)
			full := synthTrack(rand.New(rand.NewPCG(seeds[want], 1)), items)
			off := rng.IntN(items - 59)
			clip := corrupt(rng, full[off:off+59], ber)
			t0 := time.Now()
			id, err := ix.Identify(ctx, clip)
			lat = append(lat, time.Since(t0))
			if err != nil || id.TrackID != fmt.Sprintf("track-%06d", want) || id.Offset != off {
				wrong++
			}
		}
		slices.Sort(lat)
		p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(perTrack, "bytes/track")
		b.ReportMetric(float64(clips-wrong)/clips*100, "recall-%")
		b.Logf("%d clips: p50 %v p99 %v max %v; %d not identified correctly", clips, p50, p99, lat[len(lat)-1], wrong)
	}
}

// BenchmarkFingerprint120s measures the pipeline alone (no decoding) on
// 120 s of synthetic stereo 44.1 kHz 16-bit audio.
func BenchmarkFingerprint120s(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	pcmData := make([]float32, 120*44100*2)
	for i := range pcmData {
		pcmData[i] = float32(int16(rng.IntN(20000)-10000)) / 32768
	}
	b.SetBytes(int64(len(pcmData) * 2))
	for range b.N {
		s, _ := NewStream(44100, 2, 16, 120)
		for i := 0; i < len(pcmData); i += 16384 {
			s.Write(pcmData[i:min(i+16384, len(pcmData))])
		}
		if _, err := s.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromFile120s is the whole path fpcalc is compared with:
// decoding a WAV master and fingerprinting its first 120 s.
func BenchmarkFromFile120s(b *testing.B) {
	path := musicDir(b) + "/knolls.wav"
	for range b.N {
		if _, err := FromFile(context.Background(), path, Options{MaxSeconds: 120}); err != nil {
			b.Fatal(err)
		}
	}
}
