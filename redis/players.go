package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	music "github.com/openmusic/music"
	goredis "github.com/redis/go-redis/v9"
)

// PlayerStore is connect.PlayerStore on Redis, shared by every serving
// process. Keys follow the design notes, with the user ID as a Redis
// Cluster hash tag so one user's keys share a slot:
//
//	session:{USER}:state    hash: version, state (JSON)
//	session:{USER}:active   the active device ID
//	session:{USER}:devices  hash: device ID → {name, type, last_seen}
//	session:{USER}:events   pub/sub channel of the user's changes
//	device:{DEVICE}:owner   user ID, kept 30 days after last use
//	connect:ticket:HASH     a one-time WebSocket ticket's user
type PlayerStore struct {
	c      *goredis.Client
	prefix string
	now    func() time.Time

	fanMu sync.Mutex
	fan   *fanout
}

// NewPlayerStore returns the store on c. Every key starts with prefix
// (tests use a unique one; production ""). now is the clock for what the
// store times itself; nil means time.Now.
func NewPlayerStore(c *Client, prefix string, now func() time.Time) *PlayerStore {
	if now == nil {
		now = time.Now
	}
	return &PlayerStore{c: c.rdb, prefix: prefix, now: now}
}

// Close stops the fan-out connection. The client stays open.
func (s *PlayerStore) Close() error {
	s.fanMu.Lock()
	f := s.fan
	s.fan = nil
	s.fanMu.Unlock()
	if f != nil {
		return f.close()
	}
	return nil
}

func (s *PlayerStore) userKey(userID, what string) string {
	return s.prefix + "session:{" + userID + "}:" + what
}

func (s *PlayerStore) ownerKey(deviceID string) string {
	return s.prefix + "device:{" + deviceID + "}:owner"
}

func (s *PlayerStore) ticketKey(hash string) string { return s.prefix + "connect:ticket:" + hash }

// storeErr maps a Redis failure to the domain: unreachable is
// EUNAVAILABLE (503, retry), anything else stays internal.
func storeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, goredis.ErrClosed) ||
		errors.Is(err, net.ErrClosed) || isConnRefused(err) {
		return fmt.Errorf("%s: %w", op, &music.Error{Code: music.EUNAVAILABLE, Message: "player store (Redis) unavailable; retry"})
	}
	return fmt.Errorf("redis %s: %w", op, err)
}

func isConnRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}
