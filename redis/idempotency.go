package redis

import (
	"context"
	"encoding/json"
	"time"

	music "github.com/openmusic/music"
	goredis "github.com/redis/go-redis/v9"
)

// Per user, three keys: one string per kept answer (expiring on its own),
// a hash of what each answer costs with the total under "\0total", and a
// sorted set of the answers' expiry times, so the total drops exactly as
// answers expire. Times are Redis's own clock.

// idemPrune drops the costs of expired answers; shared by the scripts.
// "0 - c", not "-c": Lua turns -0 into "-0", which HINCRBY refuses.
const idemPrune = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, m in ipairs(gone) do
  local c = tonumber(redis.call('HGET', KEYS[2], m) or '0')
  redis.call('HDEL', KEYS[2], m)
  redis.call('HINCRBY', KEYS[2], '\0total', 0 - c)
end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) end
local function forget(m)
  local c = tonumber(redis.call('HGET', KEYS[2], m) or '0')
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[2], m)
  redis.call('HINCRBY', KEYS[2], '\0total', 0 - c)
  redis.call('ZREM', KEYS[3], m)
end
`

// idemClaim: ARGV member, pending value, ttl ms, budget, claim cost.
// Returns {0} taken, {1, prior} known, {2} over budget.
var idemClaim = goredis.NewScript(idemPrune + `
local prior = redis.call('GET', KEYS[1])
if prior then return {1, prior} end
forget(ARGV[1])
local ttl, budget, cost = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local used = tonumber(redis.call('HGET', KEYS[2], '\0total') or '0')
if used + cost > budget then return {2} end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('HSET', KEYS[2], ARGV[1], cost)
redis.call('HINCRBY', KEYS[2], '\0total', cost)
redis.call('ZADD', KEYS[3], now + ttl, ARGV[1])
for i = 2, 3 do
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return {0}
`)

// idemKeep: ARGV member, answer, answer size, budget, claim cost.
// Returns 0 kept, 1 no claim, 2 over budget (the claim is released).
var idemKeep = goredis.NewScript(idemPrune + `
if redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
local size, budget, cost = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or cost)
local used = tonumber(redis.call('HGET', KEYS[2], '\0total') or '0')
if used - cur + cost + size > budget then
  forget(ARGV[1])
  return 2
end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
redis.call('HSET', KEYS[2], ARGV[1], cost + size)
redis.call('HINCRBY', KEYS[2], '\0total', cost + size - cur)
return 0
`)

// idemRelease: ARGV member.
var idemRelease = goredis.NewScript(idemPrune + `
forget(ARGV[1])
return 0
`)

// idemClaimCost matches serving's: the bookkeeping of one key in bytes.
const idemClaimCost = 64

// Idempotency is a music.IdempotencyStore in Redis, shared by every
// serving process that uses the same prefix: a retried POST that reaches
// another process gets the first answer.
type Idempotency struct {
	rdb    *goredis.Client
	prefix string
	budget int
}

var _ music.IdempotencyStore = (*Idempotency)(nil)

// NewIdempotency returns a store on c under prefix (e.g. "music:idem:")
// with a per-user budget in bytes.
func NewIdempotency(c *Client, prefix string, budget int) *Idempotency {
	return &Idempotency{rdb: c.rdb, prefix: prefix, budget: budget}
}

func (s *Idempotency) keys(user, key string) []string {
	return []string{s.prefix + "a:" + user + "\x00" + key, s.prefix + "u:" + user, s.prefix + "x:" + user}
}

func (s *Idempotency) unavailable(err error) error {
	return music.Errorf(music.EUNAVAILABLE, "idempotency keys: redis %s: %v", s.rdb.Options().Addr, err)
}

// Claim implements music.IdempotencyStore.
func (s *Idempotency) Claim(ctx context.Context, user, key string, bodyHash [32]byte, ttl time.Duration) (*music.IdempotentAnswer, error) {
	pending, _ := json.Marshal(music.IdempotentAnswer{BodyHash: bodyHash})
	res, err := idemClaim.Run(ctx, s.rdb, s.keys(user, key), key, pending, max(ttl.Milliseconds(), 1), s.budget, idemClaimCost).Slice()
	if err != nil || len(res) == 0 {
		return nil, s.unavailable(err)
	}
	switch res[0] {
	case int64(0):
		return nil, nil
	case int64(2):
		return nil, music.Errorf(music.ERATELIMIT, "Idempotency-Key: too many kept answers for this user (budget %d bytes)", s.budget)
	}
	raw, _ := res[1].(string)
	var prior music.IdempotentAnswer
	if len(res) != 2 || json.Unmarshal([]byte(raw), &prior) != nil {
		return nil, music.Errorf(music.EINTERNAL, "idempotency keys: redis holds an unreadable answer for %q", key)
	}
	return &prior, nil
}

// Keep implements music.IdempotencyStore.
func (s *Idempotency) Keep(ctx context.Context, user, key string, answer music.IdempotentAnswer) error {
	value, err := json.Marshal(answer)
	if err != nil {
		return music.Errorf(music.EINTERNAL, "idempotency keys: %v", err)
	}
	res, err := idemKeep.Run(ctx, s.rdb, s.keys(user, key), key, value, answer.Size(), s.budget, idemClaimCost).Int()
	switch {
	case err != nil:
		return s.unavailable(err)
	case res == 1:
		return music.Errorf(music.ENOTFOUND, "Idempotency-Key: no claim to keep an answer for")
	case res == 2:
		return music.Errorf(music.ERATELIMIT, "Idempotency-Key: an answer of %d bytes does not fit the user's budget", answer.Size())
	}
	return nil
}

// Release implements music.IdempotencyStore.
func (s *Idempotency) Release(ctx context.Context, user, key string) error {
	if err := idemRelease.Run(ctx, s.rdb, s.keys(user, key), key).Err(); err != nil {
		return s.unavailable(err)
	}
	return nil
}
