//go:build shedbench

package serving

// The load-shedding measurement of docs/benchmarks/shedding.md, run by
// `make shed-bench`: the real search route on a 20,000-track Bleve index,
// the audio route on a file store and the playback route on an embedded
// JetStream, over loopback TCP. It finds the search rate that saturates
// the machine, then offers 1x, 5x and 10x that rate while players fetch
// audio and report plays at a steady pace, with shedding off and on.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
)

// benchPhase is how long each load level runs.
var benchPhase = envDuration("MUSIC_SHED_PHASE", 10*time.Second)

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

type latencies struct {
	mu  sync.Mutex
	d   []time.Duration
	bad map[int]int
}

func (l *latencies) add(d time.Duration, code int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if code >= 200 && code < 300 {
		l.d = append(l.d, d)
		return
	}
	if l.bad == nil {
		l.bad = map[int]int{}
	}
	l.bad[code]++
}

func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func TestShedBench(t *testing.T) {
	s, _, _, token := newPlaybackServer(t)
	s.Signer = testSigner(t, "")
	idx, err := bleve.Open(t.TempDir(), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	syn := searchtest.NewSynth(20000, 7)
	if _, err := idx.Reindex(context.Background(), syn.Source()); err != nil {
		t.Fatal(err)
	}
	plain, fuzzy, _ := syn.Queries(500, 3)
	queries := append(plain, fuzzy...)
	fs := openFileStore(t)
	putAudio(t, fs, "trk-1", "160.ogg", 4<<20)
	s.HandleSearch(idx)
	s.HandleAudio(fs, AudioOptions{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4096, MaxConnsPerHost: 0}}
	audioURL := ts.URL + s.Signer.Sign("/audio/trk-1/160.ogg")

	get := func(u string, hdr ...string) int {
		req, _ := http.NewRequest("GET", u, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			return -1
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	search := func(i int) int {
		return get(ts.URL + "/api/v1/search?q=" + url.QueryEscape(queries[i%len(queries)]))
	}

	// Saturation: closed-loop searchers until throughput stops growing.
	best := 0.0
	for _, c := range []int{1, 2, 4, 8, 16, 32} {
		var n atomic.Int64
		stop := time.Now().Add(3 * time.Second)
		var wg sync.WaitGroup
		for g := range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; time.Now().Before(stop); i += c {
					if search(i) == 200 {
						n.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		rate := float64(n.Load()) / 3
		t.Logf("saturation: %d closed-loop searchers: %.0f searches/s", c, rate)
		if rate < best*1.1 {
			break
		}
		best = max(best, rate)
	}
	t.Logf("saturating search load R = %.0f/s", best)

	type row struct {
		mult               int
		shed               bool
		audio, report      *latencies
		searchOK, searchX  int64
		searchP50, shedLim int
	}
	var rows []row
	for _, mult := range []int{1, 5, 10} {
		for _, shed := range []bool{false, true} {
			if shed {
				s.SetShedder(NewShedder())
			} else {
				s.shedder = nil
			}
			r := row{mult: mult, shed: shed, audio: &latencies{}, report: &latencies{}}
			var sOK, sShed atomic.Int64
			searchLat := &latencies{}
			stop := time.Now().Add(benchPhase)
			var wg sync.WaitGroup
			var inflight atomic.Int64
			// Open-loop search arrivals at mult x R.
			wg.Add(1)
			go func() {
				defer wg.Done()
				interval := time.Duration(float64(time.Second) / (best * float64(mult)))
				next := time.Now()
				for i := 0; time.Now().Before(stop); i++ {
					next = next.Add(interval)
					time.Sleep(time.Until(next))
					if inflight.Load() > 4000 {
						continue // the generator's own bound; counted as not served
					}
					inflight.Add(1)
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer inflight.Add(-1)
						start := time.Now()
						code := search(i)
						searchLat.add(time.Since(start), code)
						switch code {
						case 200:
							sOK.Add(1)
						case 503:
							sShed.Add(1)
						}
					}()
				}
			}()
			// Players: 20 audio chunk requests and 20 reports a second.
			for p := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tick := time.NewTicker(50 * time.Millisecond)
					defer tick.Stop()
					for i := 0; time.Now().Before(stop); i++ {
						<-tick.C
						wg.Add(1)
						go func() {
							defer wg.Done()
							start := time.Now()
							if p == 0 {
								off := rand.IntN(15) << 18
								code := get(audioURL, "Range", fmt.Sprintf("bytes=%d-%d", off, off+256<<10-1))
								r.audio.add(time.Since(start), code)
								return
							}
							body := report("event_id", fmt.Sprintf("b%d-%v-%d", mult, shed, i))
							req, _ := http.NewRequest("POST", ts.URL+"/api/v1/playback/report", strings.NewReader(body))
							req.Header.Set("Authorization", "Bearer "+token)
							res, err := client.Do(req)
							code := -1
							if err == nil {
								io.Copy(io.Discard, res.Body)
								res.Body.Close()
								code = res.StatusCode
							}
							r.report.add(time.Since(start), code)
						}()
					}
				}()
			}
			wg.Wait()
			r.searchOK, r.searchX, r.searchP50 = sOK.Load(), sShed.Load(), int(searchLat.pct(0.5)/time.Millisecond)
			if s.shedder != nil {
				r.shedLim = s.shedder.Limit()
			}
			rows = append(rows, r)
			t.Logf("%2dx R shed=%-5v audio p50 %v p99 %v (errors %v) | reports p50 %v p99 %v (errors %v) | searches served %d, shed %d, p50 %d ms",
				mult, shed, r.audio.pct(0.5).Round(time.Microsecond), r.audio.pct(0.99).Round(time.Microsecond), r.audio.bad,
				r.report.pct(0.5).Round(time.Microsecond), r.report.pct(0.99).Round(time.Microsecond), r.report.bad, r.searchOK, r.searchX, r.searchP50)
			time.Sleep(2 * time.Second) // let the backlog drain
		}
	}
	fmt.Printf("\nsaturating search load R = %.0f searches/s; each level runs %s\n\n", best, benchPhase)
	fmt.Println("| search load | shedding | audio p50 | audio p99 | report p50 | report p99 | searches served | searches shed (503) |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		onoff := "off"
		if r.shed {
			onoff = "on"
		}
		fmt.Printf("| %dx | %s | %v | %v | %v | %v | %d | %d |\n", r.mult, onoff,
			r.audio.pct(0.5).Round(100*time.Microsecond), r.audio.pct(0.99).Round(100*time.Microsecond),
			r.report.pct(0.5).Round(100*time.Microsecond), r.report.pct(0.99).Round(100*time.Microsecond), r.searchOK, r.searchX)
	}
}
