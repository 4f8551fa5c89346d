package serving

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
	"github.com/prometheus/client_golang/prometheus"
)

// Rate-limit classes. Every route that costs something spends from one
// (see the route table in docs/security.md); a class without a limiter is
// unlimited.
const (
	// LimitAPI: every authenticated API route per token; search, suggest
	// and the charts per client address.
	LimitAPI = "api"
	// LimitReports: playback reports, per token, anonymous ones per client
	// address.
	LimitReports = "reports"
	// LimitIdentify: identify uploads per token, on top of LimitAPI.
	LimitIdentify = "identify"
	// LimitSignIn: sign-in attempts and requests with a bad bearer token,
	// per client address.
	LimitSignIn = "signin"
	// LimitAudio: audio requests per signed URL, so one URL cannot be
	// turned into a flood of store reads.
	LimitAudio = "audio"
)

// SetRateLimiter sets the limiter of a class; nil removes it. Call it
// before routing.
func (s *Server) SetRateLimiter(class string, l music.RateLimiter) {
	if l == nil {
		delete(s.limiters, class)
		return
	}
	s.limiters[class] = l
}

// CallerKey is the rate-limit key of r's caller: the bearer token or
// session once it authenticated (per token, not per user: a leaked token
// is throttled alone), else the client address (ClientIP).
func (s *Server) CallerKey(r *http.Request) string {
	if session := sessionFrom(r.Context()); session != "" {
		return "ses:" + music.TokenHash(session)
	}
	if token, ok := bearerToken(r); ok && UserFrom(r.Context()) != nil {
		return "tok:" + music.TokenHash(token)
	}
	return "ip:" + s.ClientIP(r)
}

// RateLimited wraps h so that each request spends one request of class's
// budget under key(r) (nil: CallerKey); over it the answer is 429 with
// Retry-After in whole seconds. Other route packages (a sign-in page)
// use it with LimitSignIn.
func (s *Server) RateLimited(class string, key func(*http.Request) string, h http.Handler) http.Handler {
	if key == nil {
		key = s.CallerKey
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.spend(r.Context(), class, key(r)); err != nil {
			writeLimited(w, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// spend takes one request of key from class's limiter; over the limit it
// returns ERATELIMIT carrying the wait.
func (s *Server) spend(ctx context.Context, class, key string) error {
	l := s.limiters[class]
	if l == nil {
		return nil
	}
	d, err := l.Allow(ctx, class+":"+key)
	if err != nil {
		return err
	}
	if d.Allowed {
		return nil
	}
	s.limited.WithLabelValues(class).Inc()
	return &limitedError{class: class, wait: d.RetryAfter}
}

// limitedError is a refusal with its wait, for Retry-After.
type limitedError struct {
	class string
	wait  time.Duration
}

func (e *limitedError) Error() string {
	return "rate limit exceeded (" + e.class + "); retry in " + e.wait.Round(time.Millisecond).String()
}

// writeLimited answers a refusal (429 and Retry-After) or a limiter
// failure.
func writeLimited(w http.ResponseWriter, err error) {
	le, ok := err.(*limitedError)
	if !ok {
		writeError(w, err)
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(le.wait.Seconds())))))
	writeError(w, music.Errorf(music.ERATELIMIT, "%s", le.Error()))
}

// FallbackLimiter asks Shared (Redis) and, when it cannot answer, Local:
// a Redis outage degrades to per-process limits instead of no limits or
// no service. After a failure Shared is skipped for a second, so a Redis
// that hangs slows one request a second, not all of them.
type FallbackLimiter struct {
	Shared, Local music.RateLimiter
	// Failed counts the decisions Local took; may be nil.
	Failed prometheus.Counter

	skipUntil atomic.Int64 // unix nanoseconds
}

// sharedRetry is how long Shared is skipped after it failed.
const sharedRetry = time.Second

// Allow implements music.RateLimiter.
func (f *FallbackLimiter) Allow(ctx context.Context, key string) (music.RateDecision, error) {
	if time.Now().UnixNano() >= f.skipUntil.Load() {
		d, err := f.Shared.Allow(ctx, key)
		if err == nil {
			return d, nil
		}
		f.skipUntil.Store(time.Now().Add(sharedRetry).UnixNano())
	}
	if f.Failed != nil {
		f.Failed.Inc()
	}
	return f.Local.Allow(ctx, key)
}

// badTokens remembers client addresses that used up their sign-in budget
// on bad bearer tokens, so their next attempts are refused before any
// token lookup reaches the database.
type badTokens struct {
	mu    sync.Mutex
	until map[string]time.Time
}

// maxBlocked bounds badTokens; when full it starts over.
const maxBlocked = 100000

func (b *badTokens) blocked(ip string, now time.Time) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, ok := b.until[ip]
	if !ok || !now.Before(t) {
		delete(b.until, ip)
		return 0, false
	}
	return t.Sub(now), true
}

func (b *badTokens) block(ip string, until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.until == nil || len(b.until) >= maxBlocked {
		b.until = map[string]time.Time{}
	}
	b.until[ip] = until
}

// guardTokens wraps an authenticating handler: every 401 spends from the
// client address's LimitSignIn budget, and an address over it is refused
// (429) before its token is looked up.
func (s *Server) guardTokens(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.limiters[LimitSignIn] == nil {
			h.ServeHTTP(w, r)
			return
		}
		ip := s.ClientIP(r)
		now := time.Now()
		if wait, ok := s.bad.blocked(ip, now); ok {
			writeLimited(w, &limitedError{class: LimitSignIn, wait: wait})
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status != http.StatusUnauthorized {
			return
		}
		if err := s.spend(r.Context(), LimitSignIn, "ip:"+ip); err != nil {
			if le, ok := err.(*limitedError); ok {
				s.bad.block(ip, now.Add(le.wait))
			}
		}
	})
}
