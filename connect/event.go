package connect

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
