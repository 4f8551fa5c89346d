// Package laketest reads the Parquet lake back for tests that check no
// acknowledged playback report is lost or stored twice.
package laketest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/plays"
)

// stallLimit is how long the lake may stop growing before WaitForEvents
// gives up. The tests check that nothing acknowledged is lost, not how
// soon it arrives, so it is past the lake writer's AckWait: a delivery
// the writer never received and did not notice missing (docs/playback.md,
// "Known defect") is redelivered only then. A stall over slowStall is
// logged, so such a run is still seen.
const (
	stallLimit = natslog.AckWait + time.Minute
	slowStall  = time.Minute
)

// WaitForEvents reads the lake in store every poll until it holds want
// distinct events, or until stallLimit passes without it growing. It
// returns how often each event ID is stored and the number of part files.
func WaitForEvents(t testing.TB, store music.BlobStore, want int, poll time.Duration) (map[string]int, int) {
	t.Helper()
	deadline, last := time.Now().Add(stallLimit), 0
	var slowestRead time.Duration
	for {
		readStart := time.Now()
		seen, files := map[string]int{}, map[string]bool{}
		err := lake.Each(context.Background(), store, lake.Prefix, func(fi lake.FileInfo, rows []plays.Event) error {
			files[fi.Key] = true
			for _, e := range rows {
				seen[e.EventID]++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slowestRead = max(slowestRead, time.Since(readStart))
		if len(seen) >= want || time.Now().After(deadline) {
			if stalled := time.Since(deadline.Add(-stallLimit)); stalled > slowStall {
				t.Logf("SLOW LAKE: it stopped growing for %v at %d of %d events; the slowest read of the lake took %v; %s",
					stalled.Round(time.Second), last, want, slowestRead.Round(time.Millisecond), lastWrites(store))
			}
			return seen, len(files)
		}
		if len(seen) > last {
			deadline, last = time.Now().Add(stallLimit), len(seen)
		}
		time.Sleep(poll) // each check reads the whole lake
	}
}

// lastWrites tells when the newest part files were stored, so a slow
// lake can be told apart: a late writer leaves a gap between them, a
// slow reader does not.
func lastWrites(store music.BlobStore) string {
	var times []time.Time
	err := store.List(context.Background(), lake.Prefix, func(b music.BlobInfo) error {
		if strings.HasSuffix(b.Key, ".parquet") {
			times = append(times, b.ModTime)
		}
		return nil
	})
	if err != nil || len(times) == 0 {
		return "no part file times"
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	newest := times[len(times)-1]
	s := "newest part file stored " + time.Since(newest).Round(time.Second).String() + " ago"
	if len(times) > 1 {
		s += ", " + newest.Sub(times[len(times)-2]).Round(time.Millisecond).String() + " after the one before"
	}
	return s
}
