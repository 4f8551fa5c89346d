// Package idempotencytest is the conformance suite of
// music.IdempotencyStore, run on every implementation (serving's
// in-process store, Redis).
package idempotencytest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// New returns an empty store with a per-user budget in bytes, whose keys
// no other test sees.
type New func(t *testing.T, budget int) music.IdempotencyStore

// Run checks claiming, replay, release, expiry, user independence, the
// budget and that exactly one of many concurrent claims wins.
func Run(t *testing.T, newStore New) {
	ctx := context.Background()
	h1, h2 := [32]byte{1}, [32]byte{2}
	const ttl = time.Hour
	claim := func(t *testing.T, s music.IdempotencyStore, user, key string, h [32]byte, ttl time.Duration) *music.IdempotentAnswer {
		t.Helper()
		prior, err := s.Claim(ctx, user, key, h, ttl)
		if err != nil {
			t.Fatalf("claim %s/%s: %v", user, key, err)
		}
		return prior
	}
	t.Run("claim, running, kept, replayed", func(t *testing.T) {
		s := newStore(t, 1<<20)
		if p := claim(t, s, "alice", "k", h1, ttl); p != nil {
			t.Fatalf("a new key has a prior answer: %+v", p)
		}
		p := claim(t, s, "alice", "k", h2, ttl)
		if p == nil || p.Done || p.BodyHash != h1 {
			t.Fatalf("second claim while running: %+v, want not done with the first body's hash", p)
		}
		want := music.IdempotentAnswer{BodyHash: h1, Done: true, Status: 201, Header: map[string][]string{"Location": {"/x/1"}}, Body: []byte(`{"id":"1"}`)}
		if err := s.Keep(ctx, "alice", "k", want); err != nil {
			t.Fatal(err)
		}
		p = claim(t, s, "alice", "k", h1, ttl)
		if p == nil || !p.Done || p.Status != 201 || string(p.Body) != `{"id":"1"}` || p.BodyHash != h1 || len(p.Header["Location"]) != 1 || p.Header["Location"][0] != "/x/1" {
			t.Fatalf("replay: %+v, want %+v", p, want)
		}
	})
	t.Run("users and keys are independent", func(t *testing.T) {
		s := newStore(t, 1<<20)
		claim(t, s, "alice", "k", h1, ttl)
		if p := claim(t, s, "bob", "k", h1, ttl); p != nil {
			t.Fatalf("bob sees alice's key: %+v", p)
		}
		if p := claim(t, s, "alice", "k2", h1, ttl); p != nil {
			t.Fatalf("another key has a prior answer: %+v", p)
		}
	})
	t.Run("release lets the key run again", func(t *testing.T) {
		s := newStore(t, 1<<20)
		claim(t, s, "alice", "k", h1, ttl)
		if err := s.Release(ctx, "alice", "k"); err != nil {
			t.Fatal(err)
		}
		if p := claim(t, s, "alice", "k", h1, ttl); p != nil {
			t.Fatalf("released key still held: %+v", p)
		}
	})
	t.Run("expiry", func(t *testing.T) {
		s := newStore(t, 1<<20)
		claim(t, s, "alice", "k", h1, 50*time.Millisecond)
		time.Sleep(1100 * time.Millisecond) // past the ttl and a sweep interval
		if p := claim(t, s, "alice", "k", h1, ttl); p != nil {
			t.Fatalf("expired key still held: %+v", p)
		}
	})
	t.Run("budget", func(t *testing.T) {
		s := newStore(t, 4096)
		big := music.IdempotentAnswer{BodyHash: h1, Done: true, Status: 200, Body: make([]byte, 1000)}
		refused := -1
		for i := range 10 {
			key := fmt.Sprint("k", i)
			_, err := s.Claim(ctx, "alice", key, h1, ttl)
			if err == nil {
				err = s.Keep(ctx, "alice", key, big)
			}
			if err != nil {
				if music.ErrorCode(err) != music.ERATELIMIT {
					t.Fatalf("claim or keep over budget: %v, want %s", err, music.ERATELIMIT)
				}
				refused = i
				break
			}
		}
		// 4096 bytes hold three answers of 1000 bytes with their claims,
		// and perhaps a fourth; never ten.
		if refused < 3 || refused > 4 {
			t.Fatalf("first refusal at request %d, want 3 or 4 for a 4096-byte budget and 1000-byte answers", refused)
		}
		for i := range refused {
			if p := claim(t, s, "alice", fmt.Sprint("k", i), h1, ttl); p == nil || !p.Done || len(p.Body) != 1000 {
				t.Fatalf("answer k%d, kept within the budget, is gone: %+v", i, p)
			}
		}
		if p := claim(t, s, "bob", "k0", h1, ttl); p != nil {
			t.Fatal("bob's budget was spent by alice")
		}
	})
	t.Run("one of many concurrent claims wins", func(t *testing.T) {
		s := newStore(t, 1<<20)
		var won, errs atomic.Int32
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				p, err := s.Claim(ctx, "alice", "race", h1, ttl)
				switch {
				case err != nil:
					errs.Add(1)
				case p == nil:
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || errs.Load() != 0 {
			t.Fatalf("%d claims won and %d failed, want exactly 1 and 0", won.Load(), errs.Load())
		}
	})
}
