package redis

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	music "github.com/openmusic/music"
	goredis "github.com/redis/go-redis/v9"
)

// PutTicket stores a one-time ticket with a Redis TTL. See
// connect.PlayerStore.
func (s *PlayerStore) PutTicket(ctx context.Context, hash string, u music.User, ttl time.Duration) error {
	v, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return storeErr("put ticket", s.c.Set(ctx, s.ticketKey(hash), v, ttl).Err())
}

// TakeTicket redeems a ticket with GETDEL, so two processes cannot both
// take it. See connect.PlayerStore.
func (s *PlayerStore) TakeTicket(ctx context.Context, hash string) (*music.User, error) {
	raw, err := s.c.GetDel(ctx, s.ticketKey(hash)).Result()
	if errors.Is(err, goredis.Nil) {
		return nil, music.Errorf(music.EUNAUTHORIZED, "connect ticket is unknown, used or expired")
	}
	if err != nil {
		return nil, storeErr("take ticket", err)
	}
	var u music.User
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		return nil, err
	}
	return &u, nil
}
