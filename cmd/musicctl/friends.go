package main

import (
	"context"
	"log/slog"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
	"github.com/openmusic/music/redis"
)

// startFriendFeed keeps friend activity from the playback log: in
// process, or on Redis with --redis-url so every serve process shows the
// same. Without a log there is no activity and no route for it.
func startFriendFeed(ctx context.Context, st *stack) error {
	if st.Log == nil {
		return nil
	}
	var store music.ActivityStore = friends.NewMemory()
	if st.Redis != nil {
		store = &redis.Activity{Client: st.Redis}
	}
	st.Friends = &friends.Feed{Store: store, Settings: st.Catalog, Hub: friends.NewHub()}
	stop, err := st.Log.Tail(ctx, st.Friends.Apply, func(err error) {
		slog.Warn("friend activity: a play was not recorded", "err", err)
	})
	if err != nil {
		return err
	}
	st.closers = append(st.closers, func() error { stop(); return nil })
	return nil
}
