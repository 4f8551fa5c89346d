package main

import (
	"context"
	"log/slog"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
	"github.com/openmusic/music/redis"
	"github.com/spf13/pflag"
)

// BindFriendActivity declares --friend-activity of serve and up.
func (c *Config) BindFriendActivity(fs *pflag.FlagSet) {
	fs.BoolVar(&c.FriendActivity, "friend-activity", true,
		"follow the playback log for friend activity (off: no activity is kept and its routes answer empty)")
}

// startFriendFeed keeps friend activity from the playback log: in
// process, or on Redis with --redis-url so every serve process shows the
// same. Without a log, or with --friend-activity=false, there is no
// activity and no route for it.
func startFriendFeed(ctx context.Context, cfg *Config, st *stack) error {
	if st.Log == nil || !cfg.FriendActivity {
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
