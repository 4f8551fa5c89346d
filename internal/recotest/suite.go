// Package recotest is the conformance suite of music.RecoCache, run on
// every backend (sqlstore on SQLite and PostgreSQL, redis).
package recotest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Backend makes caches for the suite: Open a fresh, empty one; Down one
// whose server cannot be reached.
type Backend struct {
	Open func(t *testing.T) music.RecoCache
	Down func(t *testing.T) music.RecoCache
}

// Run runs every conformance test.
func Run(t *testing.T, b Backend) {
	t.Run("RoundTrip", func(t *testing.T) { roundTrip(t, b.Open(t)) })
	t.Run("Expiry", func(t *testing.T) { expiry(t, b.Open(t)) })
	t.Run("RejectsBadListsWritingNothing", func(t *testing.T) { rejects(t, b.Open(t)) })
	t.Run("NoHalfWrittenList", func(t *testing.T) { noHalfWritten(t, b.Open(t)) })
	t.Run("Down", func(t *testing.T) { down(t, b.Down(t)) })
}

func list(user, name, prefix string, n int) music.RecoList {
	l := music.RecoList{UserID: user, List: name, GeneratedAt: time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)}
	for i := range n {
		l.TrackIDs = append(l.TrackIDs, fmt.Sprintf("%s-%03d", prefix, i))
	}
	return l
}

func roundTrip(t *testing.T, c music.RecoCache) {
	ctx := context.Background()
	mix := list("u1", "daily_mix", "m", 6)
	mix.Mixes = []music.RecoMix{{Name: "Daily Mix 1: rock", TrackIDs: mix.TrackIDs[:3]}, {Name: "Daily Mix 2", TrackIDs: mix.TrackIDs[3:]}}
	if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", "a", 30), list("u2", "discover_weekly", "b", 100), mix}, time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := c.List(ctx, "u1", "discover_weekly")
	if err != nil || len(got.TrackIDs) != 30 || got.TrackIDs[29] != "a-029" || !got.GeneratedAt.Equal(mix.GeneratedAt) {
		t.Fatalf("u1 discover_weekly: %+v %v", got, err)
	}
	if got, err := c.List(ctx, "u2", "discover_weekly"); err != nil || len(got.TrackIDs) != 100 || got.TrackIDs[0] != "b-000" {
		t.Fatalf("u2: %+v %v", got, err)
	}
	if got, err := c.List(ctx, "u1", "daily_mix"); err != nil || len(got.Mixes) != 2 || got.Mixes[1].TrackIDs[2] != "m-005" || got.Mixes[0].Name != "Daily Mix 1: rock" {
		t.Fatalf("mixes: %+v %v", got, err)
	}
	// A new list replaces the old one whole, even when shorter.
	if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", "c", 5)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, err := c.List(ctx, "u1", "discover_weekly"); err != nil || strings.Join(got.TrackIDs, ",") != "c-000,c-001,c-002,c-003,c-004" {
		t.Fatalf("after replace: %+v %v", got, err)
	}
	for _, q := range [][2]string{{"u1", "release_radar"}, {"u3", "discover_weekly"}} {
		if _, err := c.List(ctx, q[0], q[1]); music.ErrorCode(err) != music.ENOTFOUND {
			t.Errorf("%s %s: %v, want not found", q[0], q[1], err)
		}
	}
}

func expiry(t *testing.T, c music.RecoCache) {
	ctx := context.Background()
	if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", "a", 3)}, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := c.List(ctx, "u1", "discover_weekly"); err != nil {
		t.Fatalf("fresh list: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.List(ctx, "u1", "discover_weekly")
		if music.ErrorCode(err) == music.ENOTFOUND {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("list with a 1 s TTL still served after 10 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func rejects(t *testing.T, c music.RecoCache) {
	ctx := context.Background()
	bad := []music.RecoList{list("u1", "discover_weekly", "a", 3), list("u2", "discover_weekly", "b", music.RecoCacheSize+1)}
	if err := c.PutLists(ctx, bad, time.Hour); music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "u2") {
		t.Fatalf("oversized list: %v, want invalid naming u2", err)
	}
	if _, err := c.List(ctx, "u1", "discover_weekly"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("the good list of a rejected batch was written: %v", err)
	}
	if err := c.PutLists(ctx, []music.RecoList{{UserID: "", List: "discover_weekly"}}, time.Hour); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("no user: %v", err)
	}
}

// noHalfWritten: while a writer alternates two versions of a list,
// readers only ever see one version whole.
func noHalfWritten(t *testing.T, c music.RecoCache) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", "a", 100)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			p, n := "a", 100
			if i%2 == 1 {
				p, n = "b", 37
			}
			if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", p, n)}, time.Hour); err != nil && ctx.Err() == nil {
				errs <- err
				return
			}
		}
	}()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				l, err := c.List(ctx, "u1", "discover_weekly")
				if err != nil {
					if ctx.Err() == nil {
						errs <- err
					}
					return
				}
				p := l.TrackIDs[0][:1]
				want := map[string]int{"a": 100, "b": 37}[p]
				ok := len(l.TrackIDs) == want
				for _, id := range l.TrackIDs {
					ok = ok && strings.HasPrefix(id, p+"-")
				}
				if !ok {
					errs <- fmt.Errorf("read a mixed list: %d tracks %v…", len(l.TrackIDs), l.TrackIDs[:3])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func down(t *testing.T, c music.RecoCache) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.List(ctx, "u1", "discover_weekly"); music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Errorf("read from a cache that is down: %v, want unavailable", err)
	}
	if err := c.PutLists(ctx, []music.RecoList{list("u1", "discover_weekly", "a", 3)}, time.Hour); err == nil {
		t.Error("write to a cache that is down succeeded")
	}
}
