package serving

import (
	"sync"
	"time"
)

// ttlCache keeps values for a short time. It trades a few seconds of
// staleness (a takedown, a deal ending, a new token) for not asking the
// database on every request of a hot key. When full it starts over, which
// bounds memory without bookkeeping.
type ttlCache[V any] struct {
	ttl time.Duration
	max int

	mu sync.Mutex
	m  map[string]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[V any](ttl time.Duration, max int) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, max: max, m: map[string]ttlEntry[V]{}}
}

// get returns the value for key, calling load on a miss or expiry. Errors
// are not cached.
func (c *ttlCache[V]) get(key string, now time.Time, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[string]ttlEntry[V]{}
	}
	c.m[key] = ttlEntry[V]{v, now.Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}
