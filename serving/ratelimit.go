package serving

import (
	"context"
	"math"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// MemoryLimiter is a token bucket per key kept in this process: with
// several serving processes each enforces its own share. A Redis limiter
// (package redis) is shared; MemoryLimiter is also what a shared one falls
// back to while its store is down.
type MemoryLimiter struct {
	Rate music.Rate
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

var _ music.RateLimiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns a limiter of r per key.
func NewMemoryLimiter(r music.Rate) *MemoryLimiter { return &MemoryLimiter{Rate: r} }

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; idle full buckets are dropped
// when it is reached, and if none are idle the map starts over (an
// attacker spreading over that many keys is past any per-key limit).
const maxBuckets = 100000

// Allow spends one token of key, or says how long until one is due.
func (l *MemoryLimiter) Allow(_ context.Context, key string) (music.RateDecision, error) {
	if l.Rate.Unlimited() {
		return music.RateDecision{Allowed: true}, nil
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	burst := float64(max(l.Rate.Burst, 1))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now, burst)
		}
		b = &bucket{tokens: burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.last).Seconds()*l.Rate.PerSecond)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return music.RateDecision{Allowed: true}, nil
	}
	wait := time.Duration((1 - b.tokens) / l.Rate.PerSecond * float64(time.Second))
	return music.RateDecision{RetryAfter: wait}, nil
}

// sweep drops buckets that have refilled completely: forgetting them
// changes nothing. Called with mu held.
func (l *MemoryLimiter) sweep(now time.Time, burst float64) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.Rate.PerSecond >= burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}
