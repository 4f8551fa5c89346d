package connect

import (
	"context"
	"time"

	music "github.com/openmusic/music"
)

// PlayerStore keeps every user's devices and player state where all
// serving processes see them, and fans changes out to those processes.
// Implementations: Memory (one process) and redis.PlayerStore.
type PlayerStore interface {
	// Devices returns the user's devices heard from within DeviceExpiry
	// of now, in ID order, and forgets the others.
	Devices(ctx context.Context, userID string, now time.Time) ([]Device, error)
	// PutDevice registers d or refreshes its LastSeen. A device ID that
	// another user holds is EFORBIDDEN.
	PutDevice(ctx context.Context, userID string, d Device) error
	// RemoveDevice drops a device from the user's set (the ID stays the
	// user's).
	RemoveDevice(ctx context.Context, userID, deviceID string) error

	// State returns the user's player state; Version 0 means none yet.
	State(ctx context.Context, userID string) (*PlayerState, error)
	// UpdateState applies change to the current state, stores the result
	// with Version+1 unless another write came first (then change runs
	// again on the newer state), and publishes the event to every
	// subscriber of the user. An error from change stores nothing.
	UpdateState(ctx context.Context, userID string, change func(*PlayerState) (StateChange, error)) (*PlayerEvent, error)
	// Subscribe calls deliver with each later event of the user, in
	// version order, until the returned cancel is called. deliver must
	// not block.
	Subscribe(ctx context.Context, userID string, deliver func(PlayerEvent)) (cancel func(), err error)

	// PutTicket stores a one-time WebSocket ticket (by its hash) for u.
	PutTicket(ctx context.Context, ticketHash string, u music.User, ttl time.Duration) error
	// TakeTicket returns the ticket's user and deletes the ticket; an
	// unknown, used or expired ticket is EUNAUTHORIZED.
	TakeTicket(ctx context.Context, ticketHash string) (*music.User, error)
}
