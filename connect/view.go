package connect

import (
	"encoding/json"
	"time"
)

// StateView is the public shape of a player state (GET /api/v1/me/player
// and every event), after Spotify's Web API "playback state".
type StateView struct {
	Version      int64        `json:"version"`
	SessionID    string       `json:"session_id,omitempty"`
	Device       *DeviceView  `json:"device"`
	Context      *ContextView `json:"context"`
	Item         *ItemView    `json:"item"`
	ProgressMS   int64        `json:"progress_ms"`
	Timestamp    int64        `json:"timestamp"`
	IsPlaying    bool         `json:"is_playing"`
	ShuffleState bool         `json:"shuffle_state"`
	ShuffleSeed  uint64       `json:"shuffle_seed"`
	RepeatState  string       `json:"repeat_state"`
	QueueLength  int          `json:"queue_length"`
	AlsoPlaying  []string     `json:"also_playing"`
}

// DeviceView is a device as the API shows it.
type DeviceView struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Type     string     `json:"type"`
	IsActive bool       `json:"is_active"`
	LastSeen *time.Time `json:"last_seen,omitempty"`
}

// ContextView names what the tracks come from.
type ContextView struct {
	URI string `json:"uri"`
}

// ItemView is a track in the player.
type ItemView struct {
	ID         string `json:"id"`
	DurationMS int64  `json:"duration_ms"`
	FromQueue  bool   `json:"from_queue"`
}

// View is st as of at: while playing, the position is moved on to at.
func View(st *PlayerState, at time.Time) StateView {
	v := StateView{Version: st.Version, SessionID: st.SessionID, ProgressMS: PositionAt(st, at), Timestamp: at.UnixMilli(),
		IsPlaying: st.Playing, ShuffleState: st.Shuffle, ShuffleSeed: st.ShuffleSeed, RepeatState: repeatOf(st),
		QueueLength: len(st.Queue), AlsoPlaying: append([]string{}, st.AlsoPlaying...)}
	if st.DeviceID != "" {
		v.Device = &DeviceView{ID: st.DeviceID, Name: st.DeviceName, Type: st.DeviceType, IsActive: true}
	}
	if st.ContextURI != "" {
		v.Context = &ContextView{URI: st.ContextURI}
	}
	if st.TrackID != "" {
		v.Item = &ItemView{ID: st.TrackID, DurationMS: st.DurationMS, FromQueue: st.FromQueue}
	}
	return v
}

// eventView is the view carried by an event: as of the change itself.
func eventView(st *PlayerState) StateView {
	return View(st, time.UnixMilli(st.Timestamp))
}

func repeatOf(st *PlayerState) string {
	if st.Repeat == "" {
		return RepeatOff
	}
	return st.Repeat
}

// Server message types.
const (
	MsgWelcome = "welcome"
	MsgEvent   = "event"
	MsgError   = "error"
)

// ServerMessage is every message the server sends a device.
type ServerMessage struct {
	Type        string         `json:"type"`
	DeviceID    string         `json:"device_id,omitempty"`
	HeartbeatMS int64          `json:"heartbeat_ms,omitempty"`
	ExpiryMS    int64          `json:"expiry_ms,omitempty"`
	Version     int64          `json:"version,omitempty"`
	State       *StateView     `json:"state,omitempty"`
	Command     *PlayerCommand `json:"command,omitempty"`
	Code        string         `json:"code,omitempty"`
	Message     string         `json:"message,omitempty"`
}

func encode(m ServerMessage) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // only plain fields: cannot fail
	}
	return b
}
