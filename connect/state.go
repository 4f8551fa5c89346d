package connect

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
