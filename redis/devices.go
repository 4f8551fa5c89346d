package redis

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	goredis "github.com/redis/go-redis/v9"
)

// ownerTTL keeps a device ID its user's after its last use.
const ownerTTL = 30 * 24 * time.Hour

// deviceJSON is a device's value in the devices hash.
type deviceJSON struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	LastSeen int64  `json:"last_seen"` // Unix ms
}

// claimOwner makes the device ID the user's unless another user holds it.
var claimOwner = goredis.NewScript(`
local o = redis.call('GET', KEYS[1])
if o and o ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`)

// PutDevice claims the device ID and registers or refreshes the device.
// See connect.PlayerStore.
func (s *PlayerStore) PutDevice(ctx context.Context, userID string, d connect.Device) error {
	ok, err := claimOwner.Run(ctx, s.c, []string{s.ownerKey(d.ID)}, userID, ownerTTL.Milliseconds()).Int()
	if err != nil {
		return storeErr("claim device", err)
	}
	if ok == 0 {
		return music.Errorf(music.EFORBIDDEN, "device %s belongs to another user", d.ID)
	}
	v, _ := json.Marshal(deviceJSON{Name: d.Name, Type: d.Type, LastSeen: d.LastSeen.UnixMilli()})
	key := s.userKey(userID, "devices")
	_, err = s.c.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, key, d.ID, v)
		p.PExpire(ctx, key, ownerTTL) // a user gone for a month leaves nothing behind
		return nil
	})
	return storeErr("put device", err)
}

// Devices returns the live devices and deletes the expired ones. See
// connect.PlayerStore.
func (s *PlayerStore) Devices(ctx context.Context, userID string, now time.Time) ([]connect.Device, error) {
	key := s.userKey(userID, "devices")
	all, err := s.c.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, storeErr("devices", err)
	}
	var out []connect.Device
	var expired []string
	for id, raw := range all {
		var dj deviceJSON
		if json.Unmarshal([]byte(raw), &dj) != nil {
			expired = append(expired, id) // unreadable: drop it rather than fail the user
			continue
		}
		seen := time.UnixMilli(dj.LastSeen)
		if now.Sub(seen) > connect.DeviceExpiry {
			expired = append(expired, id)
			continue
		}
		out = append(out, connect.Device{ID: id, Name: dj.Name, Type: dj.Type, LastSeen: seen})
	}
	if len(expired) > 0 {
		// Only if unchanged since read: a heartbeat in between keeps it.
		for _, id := range expired {
			if err := dropIfUnchanged.Run(ctx, s.c, []string{key}, id, all[id]).Err(); err != nil {
				return nil, storeErr("expire device", err)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

var dropIfUnchanged = goredis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`)

// RemoveDevice drops a device from the user's set. See connect.PlayerStore.
func (s *PlayerStore) RemoveDevice(ctx context.Context, userID, deviceID string) error {
	return storeErr("remove device", s.c.HDel(ctx, s.userKey(userID, "devices"), deviceID).Err())
}
