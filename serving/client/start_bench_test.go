package client_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jfreymuth/oggvorbis"

	"github.com/openmusic/music/serving/client"
)

// BenchmarkStreamStart measures time to first decodable audio: from
// "play track X" in the client to the first decoded PCM frame, over
// loopback HTTP to the audio route (signed URL, range GET of the first
// chunk, Vorbis header parse, first packet). It reports the median and
// p99 in ms; the target is p99 under 50 ms.
func BenchmarkStreamStart(b *testing.B) {
	a := newAudioServer(b)
	tr := a.track(b, "start", encodeTrack(b, 0, 44100*10))
	for r, u := range tr.StreamURLs {
		tr.StreamURLs[r] = strings.Replace(u, a.proxy.URL, a.origin, 1)
	}
	for _, v := range []struct {
		name               string
		prefetched, player bool
	}{{"cold", false, false}, {"prefetched", true, false}, {"player", false, true}} {
		b.Run(v.name, func(b *testing.B) {
			ctx := context.Background()
			times := make([]time.Duration, 0, b.N)
			buf := make([]float32, 2*256)
			for i := 0; i < b.N; i++ {
				c := client.New(testHTTP)
				if v.prefetched {
					b.StopTimer()
					if err := c.Prefetch(ctx, tr); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				start := time.Now()
				read, done := startPlaying(b, ctx, c, tr, v.player)
				n, err := 0, error(nil)
				for n == 0 && err == nil {
					n, err = read(buf)
				}
				if n == 0 {
					b.Fatalf("no PCM: %v", err)
				}
				times = append(times, time.Since(start))
				done()
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			ms := func(q float64) float64 {
				return float64(times[min(len(times)-1, int(q*float64(len(times))))]) / 1e6
			}
			b.ReportMetric(ms(0.5), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
		})
	}
}

// startPlaying opens tr the way a player would: Play plus a decoder, or
// Open's Player (adaptive, decoding across rung switches).
func startPlaying(b *testing.B, ctx context.Context, c *client.Client, tr client.Track, player bool) (func([]float32) (int, error), func()) {
	if player {
		p, err := c.Open(ctx, tr)
		if err != nil {
			b.Fatal(err)
		}
		return p.Read, func() { p.Close() }
	}
	rc, _, err := c.Play(ctx, tr)
	if err != nil {
		b.Fatal(err)
	}
	d, err := oggvorbis.NewReader(rc)
	if err != nil {
		b.Fatal(err)
	}
	return d.Read, func() { rc.Close() }
}
