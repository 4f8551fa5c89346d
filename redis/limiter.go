package redis

import (
	"context"
	"time"

	music "github.com/openmusic/music"
	goredis "github.com/redis/go-redis/v9"
)

// gcra is the generic cell rate algorithm in one atomic step: the key
// holds the theoretical arrival time (TAT, microseconds on Redis's own
// clock, so serving processes with skewed clocks agree). A request is
// allowed when TAT + interval - tolerance is not in the future; the key
// expires when the budget is full again, so idle callers cost nothing.
// ARGV: interval and tolerance (burst × interval) in microseconds.
var gcra = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new = tat + tonumber(ARGV[1])
local allowAt = new - tonumber(ARGV[2])
if allowAt > now then
  return {0, allowAt - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return {1, 0}
`)

// Limiter is a music.RateLimiter whose budgets live in Redis, shared by
// every process that uses the same prefix.
type Limiter struct {
	c      *Client
	prefix string
	rate   music.Rate
}

var _ music.RateLimiter = (*Limiter)(nil)

// Limiter returns a limiter of rate per key, with keys stored under
// prefix (e.g. "music:rl:").
func (c *Client) Limiter(prefix string, rate music.Rate) *Limiter {
	return &Limiter{c: c, prefix: prefix, rate: rate}
}

// Allow implements music.RateLimiter. An error (Redis unreachable or too
// slow) is EUNAVAILABLE.
func (l *Limiter) Allow(ctx context.Context, key string) (music.RateDecision, error) {
	if l.rate.Unlimited() {
		return music.RateDecision{Allowed: true}, nil
	}
	interval := int64(1e6 / l.rate.PerSecond)
	tolerance := interval * int64(max(l.rate.Burst, 1))
	res, err := gcra.Run(ctx, l.c.rdb, []string{l.prefix + key}, interval, tolerance).Int64Slice()
	if err != nil || len(res) != 2 {
		return music.RateDecision{}, music.Errorf(music.EUNAVAILABLE, "rate limiter: redis %s: %v", l.c.url, err)
	}
	if res[0] == 1 {
		return music.RateDecision{Allowed: true}, nil
	}
	return music.RateDecision{RetryAfter: time.Duration(res[1]) * time.Microsecond}, nil
}
