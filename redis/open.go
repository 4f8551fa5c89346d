// Package redis holds the platform's Redis-backed stores. Open is the one
// constructor every part shares; each concern (the Connect player store
// and its fan-out, caches) lives in its own file.
package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// openTimeout bounds the first ping, so a wrong URL is a prompt error.
const openTimeout = 5 * time.Second

// Open parses a redis:// (or rediss://) URL, connects and pings.
func Open(ctx context.Context, url string) (*goredis.Client, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis URL %q: %v", url, err)
	}
	c := goredis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("redis at %s: %v", opts.Addr, err)
	}
	return c, nil
}
