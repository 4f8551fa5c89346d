// Package ratelimittest is the conformance suite of music.RateLimiter,
// run on every implementation (serving's in-process limiter, Redis).
package ratelimittest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// New returns a fresh limiter of rate whose keys no other test uses.
type New func(t *testing.T, rate music.Rate) music.RateLimiter

// Run checks burst, refusal with a usable RetryAfter, refill, key
// independence, atomicity under concurrency and the unlimited rate.
func Run(t *testing.T, newLimiter New) {
	ctx := context.Background()
	allow := func(t *testing.T, l music.RateLimiter, key string) music.RateDecision {
		t.Helper()
		d, err := l.Allow(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("burst then refusal", func(t *testing.T) {
		l := newLimiter(t, music.Rate{PerSecond: 1, Burst: 3})
		for i := range 3 {
			if d := allow(t, l, "a"); !d.Allowed {
				t.Fatalf("request %d of a burst of 3 refused", i+1)
			}
		}
		d := allow(t, l, "a")
		if d.Allowed || d.RetryAfter <= 0 || d.RetryAfter > 1100*time.Millisecond {
			t.Fatalf("4th request: %+v, want refused with RetryAfter in (0, 1s]", d)
		}
		if d := allow(t, l, "b"); !d.Allowed {
			t.Fatal("key b refused because of key a")
		}
	})
	t.Run("refill", func(t *testing.T) {
		l := newLimiter(t, music.Rate{PerSecond: 20, Burst: 1})
		if d := allow(t, l, "a"); !d.Allowed {
			t.Fatal("first request refused")
		}
		d := allow(t, l, "a")
		if d.Allowed {
			t.Fatal("second immediate request allowed with a burst of 1")
		}
		time.Sleep(d.RetryAfter + 20*time.Millisecond)
		if d := allow(t, l, "a"); !d.Allowed {
			t.Fatalf("refused after waiting the RetryAfter it was given (%s)", d.RetryAfter)
		}
	})
	t.Run("concurrent callers share one budget", func(t *testing.T) {
		l := newLimiter(t, music.Rate{PerSecond: 0.01, Burst: 10})
		var ok atomic.Int64
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					d, err := l.Allow(ctx, "shared")
					if err != nil {
						t.Error(fmt.Errorf("goroutine %d: %w", g, err))
						return
					}
					if d.Allowed {
						ok.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 10 {
			t.Fatalf("80 concurrent requests on a burst of 10: %d allowed", ok.Load())
		}
	})
	t.Run("unlimited", func(t *testing.T) {
		l := newLimiter(t, music.Rate{})
		for range 100 {
			if d := allow(t, l, "a"); !d.Allowed {
				t.Fatal("a zero rate refused a request")
			}
		}
	})
}
