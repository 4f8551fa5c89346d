package laketest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// TestWaitReadsEachPartOnceAndHonoursSupersession writes a batch, waits
// for it, then writes a retry of a longer range that supersedes the
// first file: the wait must count every event once, not the superseded
// file's events again, and must not re-read a file it already read.
func TestWaitReadsEachPartOnceAndHonoursSupersession(t *testing.T) {
	ctx := context.Background()
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	events := func(from, to int) []plays.Event {
		var ev []plays.Event
		for i := from; i <= to; i++ {
			ev = append(ev, plays.Event{EventID: fmt.Sprintf("e%03d", i), UserID: "u1", TrackID: "t1",
				SessionID: "s1", DeviceID: "d1", PlayedAt: t0.UnixMilli(), ReceivedAt: t0.UnixMilli(),
				DurationListenedMs: 31_000, Quality: "160kbps", Territory: "DE", UserCreatedAt: t0.Add(-time.Hour).UnixMilli()})
		}
		return ev
	}
	if _, err := lake.WriteBatch(ctx, store, lake.SeqRange{First: 1, Last: 10}, events(1, 10), lake.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	read := map[string]partIDs{}
	live, err := readNewParts(store, read)
	if err != nil || len(live) != 1 || len(read[live[0].Key].ids) != 10 {
		t.Fatalf("after the first batch: %d live files, %v read, err %v; want 1 file of 10 events", len(live), read, err)
	}
	first := live[0].Key
	// A retry of the same batch that ran longer supersedes the first file.
	if _, err := lake.WriteBatch(ctx, store, lake.SeqRange{First: 1, Last: 15}, events(1, 15), lake.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := lake.WriteBatch(ctx, store, lake.SeqRange{First: 16, Last: 20}, events(16, 20), lake.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	seen, files := WaitForEvents(t, store, 20, 10*time.Millisecond)
	if len(seen) != 20 || files != 2 {
		t.Fatalf("after the retry and a new batch: %d distinct events in %d files, want 20 in 2", len(seen), files)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s counted %d times", id, n)
		}
	}
	if _, err := readNewParts(store, read); err != nil {
		t.Fatal(err)
	}
	if _, ok := read[first]; ok {
		t.Errorf("the superseded file %s is still counted", first)
	}
}
