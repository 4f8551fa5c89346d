package workflows

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchFeeds is how many shows BenchmarkPollUnchangedFeeds polls.
const benchFeeds = 10000

// BenchmarkPollUnchangedFeeds polls 10,000 registered shows whose feeds
// have not changed since the last poll, against a local host that
// answers conditional GETs: one PollFeed each (a 304 and a RecordPoll in
// the catalog), 32 at a time, as a worker's activity slots would run
// them. One iteration is one pass over every show; it reports feeds/s
// and the process CPU per poll (client, catalog writes and the local
// server together, so an upper bound for the poller). The Temporal
// workflow around each poll is not in the figure.
//
//	go test ./workflows -run '^$' -bench PollUnchangedFeeds -benchtime 3x
func BenchmarkPollUnchangedFeeds(b *testing.B) {
	ctx := context.Background()
	rig := newPodcastRig(b, true)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		etag := `"` + strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feed/"), ".xml") + `-v1"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Show %s</title></channel></rss>`, r.URL.Path)
	}))
	defer host.Close()
	ids := make([]string, benchFeeds)
	for i := range ids {
		sh, _, err := rig.cat.AddShow(ctx, fmt.Sprintf("%s/feed/%d.xml", host.URL, i))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = sh.ID
	}
	pollAll := func(want string) {
		work := make(chan string)
		var wg sync.WaitGroup
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range work {
					if res, err := rig.acts.PollFeed(ctx, id, true); err != nil || res.Status != want {
						b.Errorf("poll %s: %+v, %v; want %s", id, res, err, want)
					}
				}
			}()
		}
		for _, id := range ids {
			work <- id
		}
		close(work)
		wg.Wait()
	}
	pollAll(PollChanged) // the first poll of each: 200 and a stored title
	b.ResetTimer()
	cpu0, t0 := processCPU(), time.Now()
	for range b.N {
		pollAll(PollUnchanged)
	}
	wall, cpu := time.Since(t0), processCPU()-cpu0
	polls := float64(b.N * benchFeeds)
	b.ReportMetric(polls/wall.Seconds(), "feeds/s")
	b.ReportMetric(float64(cpu.Microseconds())/polls, "cpu-µs/poll")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
