package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/recocache"
)

// RecoCache is the recommendation cache on Redis: each list is one
// string value (JSON of music.RecoList) under Prefix + reco:{user}:{list}
// with the TTL, set by one SET, so a reader sees the old list or the new
// one. Writes go in a pipeline per call.
type RecoCache struct {
	Client *Client
	// Prefix namespaces the keys (tests use a unique one); "" in production.
	Prefix string
}

var _ music.RecoCache = (*RecoCache)(nil)

// PutLists stores the lists. See music.RecoCache.
func (c *RecoCache) PutLists(ctx context.Context, lists []music.RecoList, ttl time.Duration) error {
	if err := recocache.Check(lists); err != nil {
		return err
	}
	pipe := c.Client.rdb.Pipeline()
	for _, l := range lists {
		body, err := json.Marshal(l)
		if err != nil {
			return err
		}
		pipe.Set(ctx, c.Prefix+recocache.Key(l.UserID, l.List), body, ttl)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// List reads one list. See music.RecoCache.
func (c *RecoCache) List(ctx context.Context, userID, list string) (*music.RecoList, error) {
	key := recocache.Key(userID, list)
	body, err := c.Client.rdb.Get(ctx, c.Prefix+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, music.Errorf(music.ENOTFOUND, "no %s list for user %s", list, userID)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	var l music.RecoList
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, fmt.Errorf("reco list %s: %w", key, err)
	}
	return &l, nil
}

// unavailable is a failure to reach the server: callers fall back.
func unavailable(err error) error {
	return music.Errorf(music.EUNAVAILABLE, "redis: %v", err)
}
