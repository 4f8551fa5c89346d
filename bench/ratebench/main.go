// Command ratebench sends GETs at a fixed rate (open loop, as wrk2
// would; Debian's wrk has no fixed-rate mode) and prints latency
// percentiles. The path's {id} takes the track IDs in turn, and the
// bearer tokens (one per line) take turns too. Latency is measured from when each request was
// due, so a stalled server cannot hide its queue (no coordinated
// omission).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:18080", "server")
	dir := flag.String("dir", "/tmp/servingbench", "bench script state directory (token, tracks)")
	path := flag.String("path", "/api/v1/tracks/{id}", "request path; {id} becomes a track ID")
	tokenFile := flag.String("tokens", "token", "file under -dir with bearer tokens, one per line")
	rate := flag.Int("rate", 1000, "requests per second")
	dur := flag.Duration("d", 10*time.Second, "duration")
	flag.Parse()
	tok, err := os.ReadFile(*dir + "/" + *tokenFile)
	if err != nil {
		log.Fatal(err)
	}
	raw, err := os.ReadFile(*dir + "/tracks")
	if err != nil {
		log.Fatal(err)
	}
	tracks := strings.Fields(string(raw))
	tokens := strings.Fields(string(tok))
	if len(tracks) == 0 || len(tokens) == 0 {
		log.Fatalf("%s: need track IDs in tracks and tokens in %s", *dir, *tokenFile)
	}
	// Bounded connections, as a real client pool; requests beyond them
	// queue in the transport and their wait counts as latency.
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

	n := int(float64(*rate) * dur.Seconds())
	lat := make([]time.Duration, n)
	var failed sync.Map
	var wg sync.WaitGroup
	start := time.Now()
	interval := time.Second / time.Duration(*rate)
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func(i int, due time.Time) {
			defer wg.Done()
			req, _ := http.NewRequest("GET", *base+strings.ReplaceAll(*path, "{id}", tracks[i%len(tracks)]), nil)
			req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
			res, err := hc.Do(req)
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					err = fmt.Errorf("status %d", res.StatusCode)
				}
			}
			if err != nil {
				failed.Store(i, err)
			}
			lat[i] = time.Since(due)
		}(i, due)
	}
	wg.Wait()
	elapsed := time.Since(start)
	errs, sample := 0, ""
	failed.Range(func(_, v any) bool {
		errs++
		sample = fmt.Sprint(v)
		return true
	})
	if errs > 0 {
		fmt.Printf("errors, e.g.: %s\n", sample)
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	q := func(p float64) float64 { return float64(lat[min(n-1, int(p*float64(n)))]) / 1e6 }
	fmt.Printf("%s rate %d/s for %v: %d requests in %.2fs, %d errors; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
		*path, *rate, *dur, n, elapsed.Seconds(), errs, q(0.5), q(0.9), q(0.99), q(1))
}
