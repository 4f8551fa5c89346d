package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/laketest"
	"github.com/openmusic/music/sqlstore"
)

// sendTimeout bounds the retries of one report, and the time without any
// report acknowledged: long enough for two restarts of `musicctl up`.
const sendTimeout = 2 * time.Minute

// TestPlaybackNoLoss is the playback log's no-loss check, on the real binary: 100,000
// playback reports, sent with client retries and with duplicate event_ids,
// while `musicctl up` is killed with SIGKILL twice. Every report that got
// a 202 must be in the Parquet lake exactly once, and no event_id twice.
//
// MUSIC_NOLOSS_REPORTS overrides the count (for a quick local run).
func TestPlaybackNoLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 100,000 reports through a real musicctl up")
	}
	total := 100_000
	if v := os.Getenv("MUSIC_NOLOSS_REPORTS"); v != "" {
		fmt.Sscan(v, &total)
	}
	dir := t.TempDir()
	tokens, tracks := seedPlaybackCatalog(t, dir, 20, 20)
	flags := []string{"--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", "300ms", "--rate-limit-reports", "0"}
	cur := startUp(t, flags...)
	var addr atomic.Value
	addr.Store(cur.ready["http"])

	base := time.Now().Add(-10 * time.Minute)
	report := func(i int) []byte {
		b, _ := json.Marshal(map[string]any{
			"event_id": fmt.Sprintf("ev-%06d", i), "track_id": tracks[i%len(tracks)], "session_id": fmt.Sprintf("s-%d", i/50),
			"device_id": "dev-1", "played_at": base.Add(time.Duration(i) * time.Millisecond).UTC().Format(time.RFC3339Nano),
			"duration_listened_ms": 31_000 + i%200_000, "completed": i%3 == 0, "quality": "160kbps",
		})
		return b
	}
	var acked sync.Map // event index → true once a 202 came back
	var nAcked, retries, unavailable, resent atomic.Int64
	client := &http.Client{Timeout: 10 * time.Second}
	// send posts report i until it gets a 202, retrying connection errors
	// and 503s the way a player would; any other status fails the test.
	send := func(i int) error {
		body := report(i)
		giveUp := time.Now().Add(sendTimeout)
		for attempt := 0; ; attempt++ {
			if time.Now().After(giveUp) {
				return fmt.Errorf("report %d: no 202 within %s of retries", i, sendTimeout)
			}
			if attempt > 0 {
				retries.Add(1)
				time.Sleep(time.Duration(min(attempt, 20)) * 10 * time.Millisecond)
			}
			req, _ := http.NewRequest("POST", "http://"+addr.Load().(string)+"/api/v1/playback/report", bytes.NewReader(body))
			if i%4 != 3 { // a quarter are anonymous plays
				req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
			}
			resp, err := client.Do(req)
			if err != nil {
				continue // the server is down or restarting
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusAccepted:
				return nil
			case http.StatusServiceUnavailable:
				unavailable.Add(1)
				continue
			default:
				return fmt.Errorf("report %d: %d %s", i, resp.StatusCode, msg)
			}
		}
	}

	work := make(chan int)
	// The first error is kept in errc and closes failed, which stops the
	// feeder without taking the error away from the test.
	errc, failed := make(chan error, 1), make(chan struct{})
	var failOnce sync.Once
	fail := func(err error) { failOnce.Do(func() { errc <- err; close(failed) }) }
	var wg sync.WaitGroup
	start := time.Now()
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := send(i); err != nil {
					fail(err)
					return
				}
				acked.Store(i, true)
				nAcked.Add(1)
				if i%20 == 0 { // a duplicate delivery of an acknowledged report
					resent.Add(1)
					if err := send(i); err != nil {
						fail(err)
						return
					}
				}
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range total {
			select {
			case work <- i:
			case <-failed:
				return
			}
		}
	}()

	// Kill -9 at about 30% and 65% of the acknowledged reports.
	for _, at := range []int64{int64(total) * 30 / 100, int64(total) * 65 / 100} {
		for stall, last := time.Now().Add(sendTimeout), nAcked.Load(); nAcked.Load() < at; {
			select {
			case err := <-errc:
				t.Fatal(err)
			case <-time.After(20 * time.Millisecond):
			}
			if n := nAcked.Load(); n > last {
				stall, last = time.Now().Add(sendTimeout), n
			} else if time.Now().After(stall) {
				t.Fatalf("no report acknowledged for %s (%d so far)", sendTimeout, n)
			}
		}
		cur.kill(t)
		t.Logf("kill -9 after %d acknowledged reports (%v)", nAcked.Load(), time.Since(start).Round(time.Millisecond))
		cur = startUp(t, flags...)
		addr.Store(cur.ready["http"])
	}
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	sent := time.Since(start)
	t.Logf("%d reports acknowledged in %v (%.0f/s incl. restarts); %d duplicate sends, %d retries, %d answered 503",
		nAcked.Load(), sent.Round(time.Millisecond), float64(nAcked.Load())/sent.Seconds(), resent.Load(), retries.Load(), unavailable.Load())

	// Wait for the lake writer to catch up, then check exactly-once.
	store, err := filestore.Open(context.Background(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	seen, files := waitForLake(t, store, int(nAcked.Load()), time.Second)
	t.Logf("lake: %d distinct events in %d part files, %v after the start", len(seen), files, time.Since(start).Round(time.Millisecond))
	missing, twice := 0, 0
	var lost []int
	acked.Range(func(k, _ any) bool {
		if n := seen[fmt.Sprintf("ev-%06d", k.(int))]; n == 0 {
			missing++
			lost = append(lost, k.(int))
		}
		return true
	})
	if len(lost) > 0 {
		sort.Ints(lost)
		t.Errorf("missing reports, first and last: %v … %v", lost[:min(10, len(lost))], lost[max(0, len(lost)-10):])
	}
	for id, n := range seen {
		if n > 1 {
			twice++
			if twice < 5 {
				t.Errorf("%s is in the lake %d times", id, n)
			}
		}
	}
	if missing > 0 || twice > 0 || int64(len(seen)) != nAcked.Load() {
		t.Logf("the last up's stderr (lake writer retries and dead letters):\n%s", tail(cur.stderr.String(), 4000))
		t.Fatalf("%d acknowledged reports missing from the lake, %d events stored more than once; lake %d, acknowledged %d", missing, twice, len(seen), nAcked.Load())
	}
}

// seedPlaybackCatalog creates the catalog in dir before up starts: one
// release with nTracks tracks and nUsers listeners. It returns their
// bearer tokens and the track IDs.
func seedPlaybackCatalog(t *testing.T, dir string, nUsers, nTracks int) ([]string, []string) {
	t.Helper()
	return seedCatalogAt(t, filepath.Join(dir, "catalog.db"), nUsers, nTracks)
}

// seedCatalogAt is seedPlaybackCatalog on the catalog database at dsn.
func seedCatalogAt(t *testing.T, dsn string, nUsers, nTracks int) ([]string, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, tracks, err := catalogtest.SeedListeners(ctx, st, "listener", nUsers, nTracks)
	if err != nil {
		t.Fatal(err)
	}
	return tokens, tracks
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// waitForLake is laketest.WaitForEvents on a file-backed lake.
func waitForLake(t *testing.T, store *filestore.Store, want int, poll time.Duration) (map[string]int, int) {
	t.Helper()
	return laketest.WaitForEvents(t, store, want, poll)
}
