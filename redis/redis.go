// Package redis holds what the platform's processes share through Redis,
// one file per concern: the recommendation cache (RecoCache, reco.go) and
// the rate limiter (Limiter), so that a caller's budget is one budget
// however many `serve` processes a load balancer spreads it over.
package redis

import (
	"context"
	"fmt"
	"net/url"
	"time"

	music "github.com/openmusic/music"
	goredis "github.com/redis/go-redis/v9"
)

// Client is a connection pool to one Redis server.
type Client struct {
	rdb *goredis.Client
	url string // redacted, for messages
}

// Timeouts are short on purpose: a limiter that cannot answer in time
// falls back to a per-process decision rather than holding requests.
const (
	dialTimeout = time.Second
	ioTimeout   = 500 * time.Millisecond
)

// Open connects to rawURL (redis://[user:password@]host:port/db or
// rediss:// for TLS) and checks that it answers. Errors name the URL with
// its password hidden.
func Open(ctx context.Context, rawURL string) (*Client, error) {
	shown := redact(rawURL)
	opts, err := goredis.ParseURL(rawURL)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "redis %s: %v", shown, err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = dialTimeout, ioTimeout, ioTimeout
	rdb := goredis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, music.Errorf(music.EUNAVAILABLE, "redis %s: %v", shown, err)
	}
	return &Client{rdb: rdb, url: shown}, nil
}

// Ping reports whether Redis answers (for /readyz).
func (c *Client) Ping(ctx context.Context) error {
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis %s: %w", c.url, err)
	}
	return nil
}

// Close releases the pool.
func (c *Client) Close() error { return c.rdb.Close() }

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}
