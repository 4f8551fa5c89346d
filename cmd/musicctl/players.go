package main

import (
	"context"
	"fmt"

	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/redis"
)

// openPlayers opens the Connect player store: in process memory (one
// process, the default), or Redis when --redis-url is given, which every
// serve process of a deployment must share. /readyz checks that Redis
// through the rate limiters' check on the same URL.
func (st *stack) openPlayers(ctx context.Context, cfg *Config) error {
	if cfg.RedisURL == "" {
		st.Players = connect.NewMemory()
		return nil
	}
	c, err := redis.Open(ctx, cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("%s: %v", cfg.Source("redis-url"), err)
	}
	players := redis.NewPlayerStore(c, "", nil)
	st.Players = players
	st.closers = append(st.closers, c.Close, players.Close)
	return nil
}
