package music

import (
	"context"
	"time"
)

// Account plans. On free, one device plays at a time, and the server
// enforces it.
const (
	PlanFree    = "free"
	PlanPremium = "premium"
)

// Plans lists every valid plan.
var Plans = []string{PlanFree, PlanPremium}

// Device channel timing: devices heartbeat every HeartbeatInterval, and a
// device unheard for DeviceExpiry leaves the user's device set.
const (
	HeartbeatInterval = 20 * time.Second
	DeviceExpiry      = 60 * time.Second
)

// DeviceTypes lists the kinds of device a client may say it is.
var DeviceTypes = []string{"computer", "smartphone", "tablet", "speaker", "tv", "web", "cli"}

// Device is one of a user's Connect devices.
type Device struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	LastSeen time.Time `json:"last_seen"`
}

// Repeat modes of the player.
const (
	RepeatOff     = "off"
	RepeatContext = "context"
	RepeatTrack   = "track"
)

// RepeatModes lists every valid repeat mode.
var RepeatModes = []string{RepeatOff, RepeatContext, RepeatTrack}

// PlayerState is a user's one player: what plays, where and in what order.
// It is stored whole (JSON) and every change increments Version.
type PlayerState struct {
	Version int64 `json:"version"`

	DeviceID   string `json:"device_id,omitempty"` // the active device
	DeviceName string `json:"device_name,omitempty"`
	DeviceType string `json:"device_type,omitempty"`
	// SessionID changes whenever playback moves to another device, so the
	// royalty dedup counts a deliberate second-device play.
	SessionID string `json:"session_id,omitempty"`

	ContextURI string   `json:"context_uri,omitempty"` // album:ID, playlist:ID, or "" for a list of tracks
	Tracks     []string `json:"tracks,omitempty"`      // the context's track IDs in context order
	Order      []int    `json:"order,omitempty"`       // play order over Tracks; nil means context order
	Index      int      `json:"index"`                 // position in the play order
	Queue      []string `json:"queue,omitempty"`       // the user's queue, played before the context goes on

	TrackID    string `json:"track_id,omitempty"` // what plays now
	DurationMS int64  `json:"duration_ms,omitempty"`
	FromQueue  bool   `json:"from_queue,omitempty"`
	PositionMS int64  `json:"position_ms"`
	Timestamp  int64  `json:"timestamp"` // Unix ms at which PositionMS held
	Playing    bool   `json:"playing"`

	Shuffle     bool   `json:"shuffle"`
	ShuffleSeed uint64 `json:"shuffle_seed,omitempty"`
	Repeat      string `json:"repeat"`

	// AlsoPlaying lists devices of a premium account that play on their
	// own beside the active device.
	AlsoPlaying []string `json:"also_playing,omitempty"`
}

// PlayerCommand is an order to one device, carried by the event of the
// change that caused it.
type PlayerCommand struct {
	Action     string `json:"action"` // play, pause or seek
	TrackID    string `json:"track_id,omitempty"`
	PositionMS int64  `json:"position_ms"`
	SessionID  string `json:"session_id,omitempty"`
}

// Player command actions.
const (
	ActionPlay  = "play"
	ActionPause = "pause"
	ActionSeek  = "seek"
)

// StateChange is what a change of the player state tells the devices
// besides the new state.
type StateChange struct {
	Commands map[string]PlayerCommand `json:"commands,omitempty"` // by device ID
	// Registered names a device connection that just registered; any
	// other connection of the same device is replaced.
	Registered *DeviceConnection `json:"registered,omitempty"`
}

// DeviceConnection identifies one connection of a device.
type DeviceConnection struct {
	DeviceID string `json:"device_id"`
	Conn     string `json:"conn"` // random per connection
}

// PlayerEvent is one change of a user's player state, as fanned out to
// every process that holds a device of the user.
type PlayerEvent struct {
	UserID string      `json:"user_id"`
	State  PlayerState `json:"state"`
	StateChange
}

// PlayerStore keeps every user's devices and player state where all
// serving processes see them, and fans changes out to those processes.
// Implementations: connect.Memory (one process) and redis.PlayerStore.
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
	PutTicket(ctx context.Context, ticketHash string, u User, ttl time.Duration) error
	// TakeTicket returns the ticket's user and deletes the ticket; an
	// unknown, used or expired ticket is EUNAUTHORIZED.
	TakeTicket(ctx context.Context, ticketHash string) (*User, error)
}
