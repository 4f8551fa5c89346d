package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	goredis "github.com/redis/go-redis/v9"
)

// maxUpdateAttempts bounds the optimistic retries of one change.
const maxUpdateAttempts = 100

// commitState is the compare-and-set of a change: if the stored version is
// still the one the change read, write the new state and the active key
// and publish the event, all in one atomic step, so events leave in
// version order.
var commitState = goredis.NewScript(`
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', v + 1, 'state', ARGV[2])
if ARGV[3] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('PUBLISH', KEYS[3], ARGV[4])
return 1`)

// State reads the user's state. See connect.PlayerStore.
func (s *PlayerStore) State(ctx context.Context, userID string) (*connect.PlayerState, error) {
	st, _, err := s.read(ctx, userID)
	return st, err
}

func (s *PlayerStore) read(ctx context.Context, userID string) (*connect.PlayerState, int64, error) {
	raw, err := s.c.HGet(ctx, s.userKey(userID, "state"), "state").Result()
	if errors.Is(err, goredis.Nil) {
		return &connect.PlayerState{}, 0, nil
	}
	if err != nil {
		return nil, 0, storeErr("player state", err)
	}
	var st connect.PlayerState
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, 0, fmt.Errorf("player state of %s: %w", userID, err)
	}
	return &st, st.Version, nil
}

// UpdateState reads, changes and commits with compare-and-set, retrying
// on a concurrent write. See connect.PlayerStore.
func (s *PlayerStore) UpdateState(ctx context.Context, userID string, change func(*connect.PlayerState) (connect.StateChange, error)) (*connect.PlayerEvent, error) {
	keys := []string{s.userKey(userID, "state"), s.userKey(userID, "active"), s.userKey(userID, "events")}
	for attempt := 0; attempt < maxUpdateAttempts; attempt++ {
		st, version, err := s.read(ctx, userID)
		if err != nil {
			return nil, err
		}
		sc, err := change(st)
		if err != nil {
			return nil, err
		}
		st.Version = version + 1
		stateJSON, err := json.Marshal(st)
		if err != nil {
			return nil, err
		}
		ev := connect.PlayerEvent{UserID: userID, State: *st, StateChange: sc}
		evJSON, err := json.Marshal(wireEvent(ev))
		if err != nil {
			return nil, err
		}
		ok, err := commitState.Run(ctx, s.c, keys, version, stateJSON, st.DeviceID, evJSON).Int()
		if err != nil {
			return nil, storeErr("update player state", err)
		}
		if ok == 1 {
			return &ev, nil
		}
		// Lost the race: a short random pause spreads the retries.
		select {
		case <-time.After(time.Duration(rand.IntN(1+attempt)) * time.Millisecond):
		case <-ctx.Done():
			return nil, storeErr("update player state", ctx.Err())
		}
	}
	return nil, music.Errorf(music.ECONFLICT, "player state of %s: too many concurrent changes; retry", userID)
}

// wireEvent is the event as published: without the context's track list
// and order, which devices never need from an event and which can run to
// hundreds of kilobytes.
func wireEvent(ev connect.PlayerEvent) connect.PlayerEvent {
	ev.State.Tracks, ev.State.Order = nil, nil
	return ev
}
