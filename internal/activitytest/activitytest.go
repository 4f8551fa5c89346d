// Package activitytest is the conformance suite of music.ActivityStore,
// run on every implementation (friends.Memory, redis.Activity).
package activitytest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Open returns a fresh, empty store for one test whose clock is now.
type Open func(t *testing.T, now func() time.Time) music.ActivityStore

// Run runs the suite.
func Run(t *testing.T, open Open) {
	t.Run("LatestWins", func(t *testing.T) { testLatestWins(t, open) })
	t.Run("Forget", func(t *testing.T) { testForget(t, open) })
	t.Run("Expiry", func(t *testing.T) { testExpiry(t, open) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
}

var start = time.Now().Truncate(time.Millisecond)

func fixed() time.Time { return start }

func at(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }

func record(t *testing.T, s music.ActivityStore, a music.Activity) {
	t.Helper()
	if err := s.Record(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func latest(t *testing.T, s music.ActivityStore, ids ...string) []music.Activity {
	t.Helper()
	got, err := s.Latest(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// testLatestWins: a later play replaces an earlier one, never the other
// way round, and Latest keeps the order asked.
func testLatestWins(t *testing.T, open Open) {
	s := open(t, fixed)
	record(t, s, music.Activity{UserID: "b", TrackID: "t1", PlayedAt: at(-3)})
	record(t, s, music.Activity{UserID: "b", TrackID: "t2", PlayedAt: at(-1)})
	record(t, s, music.Activity{UserID: "b", TrackID: "t0", PlayedAt: at(-5)}) // arrives late
	record(t, s, music.Activity{UserID: "c", TrackID: "t9", PlayedAt: at(-2)})
	got := latest(t, s, "c", "nobody", "b")
	if len(got) != 2 || got[0].UserID != "c" || got[1].UserID != "b" || got[1].TrackID != "t2" || !got[1].PlayedAt.Equal(at(-1)) {
		t.Errorf("latest [c nobody b] = %+v, want c's t9 then b's t2", got)
	}
}

// testForget: a forgotten user has no activity until they play again.
func testForget(t *testing.T, open Open) {
	s := open(t, fixed)
	record(t, s, music.Activity{UserID: "b", TrackID: "t1", PlayedAt: at(-1)})
	if err := s.Forget(context.Background(), "b"); err != nil {
		t.Fatal(err)
	}
	if got := latest(t, s, "b"); len(got) != 0 {
		t.Errorf("after Forget: %+v", got)
	}
	if err := s.Forget(context.Background(), "nobody"); err != nil {
		t.Errorf("forget an unknown user: %v", err)
	}
	record(t, s, music.Activity{UserID: "b", TrackID: "t2", PlayedAt: at(0)})
	if got := latest(t, s, "b"); len(got) != 1 || got[0].TrackID != "t2" {
		t.Errorf("after a new play: %+v", got)
	}
}

// testExpiry: a play older than ActivityTTL is not shown.
func testExpiry(t *testing.T, open Open) {
	s := open(t, fixed)
	record(t, s, music.Activity{UserID: "old", TrackID: "t1", PlayedAt: start.Add(-music.ActivityTTL - time.Minute)})
	record(t, s, music.Activity{UserID: "new", TrackID: "t1", PlayedAt: start.Add(-music.ActivityTTL + time.Minute)})
	if got := latest(t, s, "old", "new"); len(got) != 1 || got[0].UserID != "new" {
		t.Errorf("latest = %+v, want only the play inside the TTL", got)
	}
}

// testBadInput: incomplete entries and oversized reads are EINVALID.
func testBadInput(t *testing.T, open Open) {
	s := open(t, fixed)
	ctx := context.Background()
	for _, a := range []music.Activity{{TrackID: "t", PlayedAt: at(0)}, {UserID: "u", PlayedAt: at(0)}, {UserID: "u", TrackID: "t"}} {
		if err := s.Record(ctx, a); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("record %+v: %v, want invalid", a, err)
		}
	}
	if _, err := s.Latest(ctx, make([]string, music.MaxActivityIDs+1)); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("latest of too many: %v, want invalid", err)
	}
	if got := latest(t, s); len(got) != 0 {
		t.Errorf("latest of none = %+v", got)
	}
}

// testConcurrent: many writers of one user leave its latest play.
func testConcurrent(t *testing.T, open Open) {
	s := open(t, fixed)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				n := w*50 + i
				if err := s.Record(context.Background(), music.Activity{UserID: "b", TrackID: fmt.Sprint("t", n), PlayedAt: at(-1000 + n)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := latest(t, s, "b"); len(got) != 1 || got[0].TrackID != "t399" {
		t.Errorf("after 400 concurrent plays: %+v, want t399", got)
	}
}
