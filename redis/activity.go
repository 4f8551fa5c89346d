package redis

import (
	"context"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	music "github.com/openmusic/music"
)

// Activity is friend activity on Redis, shared by every `serve` process:
// one hash per user under Prefix + act:{user} (track, at in Unix ms),
// expiring ActivityTTL after the play started.
type Activity struct {
	Client *Client
	// Prefix namespaces the keys (tests use a unique one); "" in production.
	Prefix string
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

var _ music.ActivityStore = (*Activity)(nil)

// recordActivity keeps the play unless a later one is kept: every serve
// process tails the same log and records the same plays, in any order.
var recordActivity = goredis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'at')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'at', ARGV[1], 'track', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1`)

func (a *Activity) key(userID string) string { return a.Prefix + "act:" + userID }

func (a *Activity) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Record keeps a user's latest play; see music.ActivityStore.
func (a *Activity) Record(ctx context.Context, act music.Activity) error {
	if err := act.Check(); err != nil {
		return err
	}
	at := act.PlayedAt.UnixMilli()
	err := recordActivity.Run(ctx, a.Client.rdb, []string{a.key(act.UserID)}, at, act.TrackID,
		act.PlayedAt.Add(music.ActivityTTL).UnixMilli()).Err()
	if err != nil {
		return unavailable(err)
	}
	return nil
}

// Latest reads entries in one pipeline; see music.ActivityStore.
func (a *Activity) Latest(ctx context.Context, userIDs []string) ([]music.Activity, error) {
	if len(userIDs) > music.MaxActivityIDs {
		return nil, music.Errorf(music.EINVALID, "ids: want at most %d, got %d", music.MaxActivityIDs, len(userIDs))
	}
	out := []music.Activity{}
	if len(userIDs) == 0 {
		return out, nil
	}
	pipe := a.Client.rdb.Pipeline()
	cmds := make([]*goredis.SliceCmd, len(userIDs))
	for i, id := range userIDs {
		cmds[i] = pipe.HMGet(ctx, a.key(id), "at", "track")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, unavailable(err)
	}
	cutoff := a.now().Add(-music.ActivityTTL)
	for i, c := range cmds {
		v := c.Val()
		atText, ok1 := v[0].(string)
		track, ok2 := v[1].(string)
		ms, err := strconv.ParseInt(atText, 10, 64)
		if !ok1 || !ok2 || err != nil {
			continue // no entry (or a half-written one): nothing to show
		}
		if played := time.UnixMilli(ms); !played.Before(cutoff) {
			out = append(out, music.Activity{UserID: userIDs[i], TrackID: track, PlayedAt: played})
		}
	}
	return out, nil
}

// Forget drops an entry; see music.ActivityStore.
func (a *Activity) Forget(ctx context.Context, userID string) error {
	if err := a.Client.rdb.Del(ctx, a.key(userID)).Err(); err != nil {
		return unavailable(err)
	}
	return nil
}
