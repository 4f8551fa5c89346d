// Package redis puts the platform's Redis-backed state on a Redis server
// through go-redis: one file per concern (reco.go: the recommendation
// cache). Open is the one shared client constructor.
package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// openTimeout bounds the first ping.
const openTimeout = 5 * time.Second

// Open connects to the server at url (redis://[user:password@]host:port/db
// or rediss:// for TLS) and checks it answers a PING. Close the client
// when done.
func Open(ctx context.Context, url string) (*goredis.Client, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %v", err)
	}
	c := goredis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("redis %s: %v", opts.Addr, err)
	}
	return c, nil
}
