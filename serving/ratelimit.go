package serving

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// RateLimit is a token bucket per caller: Burst requests at once, refilled
// at PerSecond. It lives in this process; with several serving processes
// each enforces its own share.
type RateLimit struct {
	PerSecond float64
	Burst     int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; idle full buckets are dropped
// when it is reached.
const maxBuckets = 100000

// take spends one token of key at now, or says how long until one is due.
func (l *RateLimit) take(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(float64(l.Burst), b.tokens+now.Sub(b.last).Seconds()*l.PerSecond)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.PerSecond * float64(time.Second))
}

// sweep drops buckets that have refilled completely: forgetting them
// changes nothing.
func (l *RateLimit) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.PerSecond >= float64(l.Burst) {
			delete(l.buckets, k)
		}
	}
}

// limit wraps an authenticated handler: over the token's rate it answers
// 429 with Retry-After in whole seconds. Without s.Limit it does nothing.
func (s *Server) limit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Limit == nil {
			h.ServeHTTP(w, r)
			return
		}
		// Per token, not per user: a leaked token is throttled alone.
		token, _ := bearerToken(r)
		key := music.TokenHash(token)
		if ok, wait := s.Limit.take(key, s.Now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, music.Errorf(music.ERATELIMIT, "rate limit of %g requests/s exceeded; retry in %s", s.Limit.PerSecond, wait.Round(time.Millisecond)))
			return
		}
		h.ServeHTTP(w, r)
	})
}
