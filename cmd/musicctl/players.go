package main

import (
	"context"

	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/redis"
)

// openPlayers opens the Connect player store: in process memory (one
// process, the default), or Redis when --redis-url is given, which every
// serve process of a deployment must share. /readyz checks that Redis
// through the rate limiters' check on the same URL.
func (st *stack) openPlayers(ctx context.Context, cfg *Config) error {
	if st.Redis == nil {
		st.Players = connect.NewMemory()
		return nil
	}
	players := redis.NewPlayerStore(st.Redis, "", nil)
	st.Players = players
	st.closers = append(st.closers, players.Close)
	return nil
}
