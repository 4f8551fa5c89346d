package main

import (
	"context"

	"github.com/openmusic/music/connect"
)

// openPlayers opens the Connect player store: in process memory (one
// process, the default of up), or Redis when --redis-url is given, which
// every serve process of a deployment must share.
func (st *stack) openPlayers(ctx context.Context, cfg *Config) error {
	st.Players = connect.NewMemory()
	return nil
}
