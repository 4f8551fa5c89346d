package serving

import (
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
	"github.com/prometheus/client_golang/prometheus"
)

// ttlCache keeps values for a short time. It trades a few seconds of
// staleness (a takedown, a deal ending, a new token) for not asking the
// database on every request of a hot key. When full it starts over, which
// bounds memory without bookkeeping. Expired values stay until then, for
// serving while the store is down.
type ttlCache[V any] struct {
	ttl time.Duration
	max int

	mu sync.Mutex
	m  map[string]ttlEntry[V]

	stale atomic.Int64 // answers served past their TTL because the store was down

	hit, miss prometheus.Counter // nil: not counted (see counted)
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[V any](ttl time.Duration, max int) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, max: max, m: map[string]ttlEntry[V]{}}
}

// get returns the value for key, calling load on a miss or expiry. Errors
// are not cached. When load fails because its store is unavailable, an
// expired value is returned instead (stale-if-error): while the catalog
// database is down, what was read recently keeps being served.
func (c *ttlCache[V]) get(key string, now time.Time, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		inc(c.hit)
		return e.v, nil
	}
	inc(c.miss)
	v, err := load()
	if err != nil {
		if ok && music.ErrorCode(err) == music.EUNAVAILABLE {
			c.stale.Add(1)
			return e.v, nil
		}
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

// counted makes c count its fresh hits and its misses (expired or
// absent) in v, labelled name.
func (c *ttlCache[V]) counted(v *prometheus.CounterVec, name string) *ttlCache[V] {
	c.hit, c.miss = v.WithLabelValues(name, "hit"), v.WithLabelValues(name, "miss")
	return c
}

func inc(c prometheus.Counter) {
	if c != nil {
		c.Inc()
	}
}

// getMany is get for many keys in one load: load is called once, with
// the keys that are absent or expired, and returns the values it found
// (a key it leaves out has none, as an error from get's load would say).
// When the store is unavailable, expired values answer, as in get.
func (c *ttlCache[V]) getMany(keys []string, now time.Time, load func(missing []string) (map[string]V, error)) (map[string]V, error) {
	out := make(map[string]V, len(keys))
	expired := map[string]V{}
	var missing []string
	c.mu.Lock()
	for _, k := range keys {
		e, ok := c.m[k]
		switch {
		case ok && now.Before(e.expires):
			out[k] = e.v
			inc(c.hit)
			continue
		case ok:
			expired[k] = e.v
		}
		missing = append(missing, k)
		inc(c.miss)
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := load(missing)
	if err != nil {
		if music.ErrorCode(err) != music.EUNAVAILABLE {
			return out, err
		}
		for k, v := range expired {
			out[k] = v
			c.stale.Add(1)
		}
		if len(expired) < len(missing) {
			return out, err
		}
		return out, nil
	}
	c.mu.Lock()
	for k, v := range got {
		if len(c.m) >= c.max {
			c.m = map[string]ttlEntry[V]{}
		}
		c.m[k] = ttlEntry[V]{v, now.Add(c.ttl)}
		out[k] = v
	}
	c.mu.Unlock()
	return out, nil
}
