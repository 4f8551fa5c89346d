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
//
// Each poll lists the live part files and reads only those it has not
// read before: part files are immutable under their key (a retried
// batch writes a new key that supersedes the old, which the listing
// drops). Reading the whole lake every poll took tens of seconds
// race-built on a loaded machine, long enough to look like a stalled
// writer.
func WaitForEvents(t testing.TB, store music.BlobStore, want int, poll time.Duration) (map[string]int, int) {
	t.Helper()
	deadline, last := time.Now().Add(stallLimit), 0
	var slowestRead time.Duration
	read := map[string]partIDs{} // part file key → the event IDs it holds
	for {
		readStart := time.Now()
		live, err := readNewParts(store, read)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, fi := range live {
			for _, id := range read[fi.Key].ids {
				seen[id]++
			}
		}
		slowestRead = max(slowestRead, time.Since(readStart))
		if len(seen) >= want || time.Now().After(deadline) {
			if stalled := time.Since(deadline.Add(-stallLimit)); stalled > slowStall {
				t.Logf("SLOW LAKE: it stopped growing for %v at %d of %d events; the slowest poll of the lake took %v; %s",
					stalled.Round(time.Second), last, want, slowestRead.Round(time.Millisecond), lastWrites(store))
			}
			return seen, len(live)
		}
		if len(seen) > last {
			deadline, last = time.Now().Add(stallLimit), len(seen)
		}
		time.Sleep(poll)
	}
}

// partIDs is what one part file held when it was read.
type partIDs struct {
	size int64
	ids  []string
}

// readNewParts lists the live part files, reads into read those not read
// at their current size, forgets those no longer live, and returns the
// live files.
func readNewParts(store music.BlobStore, read map[string]partIDs) ([]lake.FileInfo, error) {
	ctx := context.Background()
	live, err := lake.ListFiles(ctx, store, lake.Prefix)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(live))
	for _, fi := range live {
		keep[fi.Key] = true
		if p, ok := read[fi.Key]; ok && p.size == fi.Size {
			continue
		}
		ids, err := eventIDs(ctx, store, fi.Key)
		if err != nil {
			return nil, err
		}
		read[fi.Key] = partIDs{size: fi.Size, ids: ids}
	}
	for k := range read {
		if !keep[k] {
			delete(read, k)
		}
	}
	return live, nil
}

// eventIDs reads the event IDs of one part file (its key is a prefix
// that names only itself).
func eventIDs(ctx context.Context, store music.BlobStore, key string) ([]string, error) {
	var ids []string
	err := lake.Each(ctx, store, key, func(_ lake.FileInfo, rows []plays.Event) error {
		for _, e := range rows {
			ids = append(ids, e.EventID)
		}
		return nil
	})
	return ids, err
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
