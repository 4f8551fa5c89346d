package music

import (
	"context"
	"time"
)

// Rate is a token-bucket budget: Burst requests at once, refilled at
// PerSecond. PerSecond <= 0 means no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Unlimited reports whether r lets everything through.
func (r Rate) Unlimited() bool { return r.PerSecond <= 0 }

// RateDecision is a limiter's answer for one request.
type RateDecision struct {
	Allowed bool
	// RetryAfter is how long until the next request of the key would be
	// allowed; zero when Allowed.
	RetryAfter time.Duration
}

// RateLimiter spends one request of a key's budget. Keys name a caller
// (a token hash, a client address) within one limiter; two limiters never
// share budgets. Implementations: an in-process map (serving.MemoryLimiter)
// and Redis (redis.Limiter), which every serving process shares. An error
// means the limiter could not decide (its store is down); callers choose
// what to do then.
type RateLimiter interface {
	Allow(ctx context.Context, key string) (RateDecision, error)
}
