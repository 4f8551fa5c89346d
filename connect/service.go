package connect

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/shuffle"
)

// Limits of what a player holds.
const (
	MaxQueue        = 1000  // the user's queue
	MaxURIs         = 1000  // tracks in one play request
	MaxContext      = 10000 // tracks of an album or playlist
	previousRestart = 3000  // ms into a track after which previous restarts it
	queuePreview    = 20    // upcoming tracks GET queue lists
)

// TrackInfo is what the player needs of a track.
type TrackInfo struct {
	ID         string
	DurationMS int64
	shuffle.Track
}

// Tracks resolves what users ask to play, with their visibility.
type Tracks interface {
	// Tracks returns the tracks with these IDs, in order; one that is
	// missing or hidden from u is ENOTFOUND naming it.
	Tracks(ctx context.Context, u *music.User, ids []string) ([]TrackInfo, error)
	// Context returns the tracks of album:ID or playlist:ID in order, at
	// most limit (more is EUNPROCESSABLE).
	Context(ctx context.Context, u *music.User, uri string, limit int) ([]TrackInfo, error)
}

// Service is the Connect player: commands from REST and devices change a
// user's state in Store, and the hub delivers each change to the user's
// devices connected to this process.
type Service struct {
	Store  PlayerStore
	Tracks Tracks
	Now    func() time.Time
	Rand   func() uint64 // shuffle seeds, session and connection IDs

	// Device channel timing; New sets the defaults (DeviceExpiry, 10 s).
	HeartbeatTimeout time.Duration // no message for this long closes the socket (4408)
	RegisterTimeout  time.Duration // the first message must come within this
	WriteTimeout     time.Duration // one message to a device

	// Heartbeats refresh the store at most this often per connection, so
	// a heartbeat flood costs the store nothing.
	TouchEvery time.Duration

	// Extras, when set, runs beside each device connection from its
	// welcome until the connection ends (ctx), and may send the device
	// messages of its own (friend activity: docs/social.md). A device too
	// slow to read them is closed as for events.
	Extras func(ctx context.Context, u *music.User, send func(msg any))

	hubMu sync.Mutex
	hub   map[string]*userConns // by user ID
}

// New returns a service on the real clock and crypto randomness.
func New(store PlayerStore, tracks Tracks) *Service {
	return &Service{Store: store, Tracks: tracks, Now: time.Now, Rand: cryptoUint64,
		HeartbeatTimeout: DeviceExpiry, RegisterTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
		TouchEvery: 10 * time.Second}
}

func cryptoUint64() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return binary.LittleEndian.Uint64(b[:])
}

func (s *Service) newSessionID() string { return fmt.Sprintf("s_%016x", s.Rand()) }

// State returns the user's player state.
func (s *Service) State(ctx context.Context, u *music.User) (*PlayerState, error) {
	return s.Store.State(ctx, u.ID)
}

// Devices returns the user's live devices.
func (s *Service) Devices(ctx context.Context, u *music.User) ([]Device, error) {
	return s.Store.Devices(ctx, u.ID, s.Now())
}

// device returns the user's live device id, or ENOTFOUND: one that never
// registered, expired, or is another user's all look the same.
func (s *Service) device(ctx context.Context, u *music.User, id string) (Device, error) {
	devs, err := s.Devices(ctx, u)
	if err != nil {
		return Device{}, err
	}
	for _, d := range devs {
		if d.ID == id {
			return d, nil
		}
	}
	return Device{}, music.Errorf(music.ENOTFOUND, "no device %q among your active devices", id)
}

// update runs change with the position brought up to now first, so every
// stored state has a fresh PositionMS/Timestamp pair.
func (s *Service) update(ctx context.Context, u *music.User, change func(st *PlayerState, now time.Time) (StateChange, error)) (*PlayerEvent, error) {
	return s.Store.UpdateState(ctx, u.ID, func(st *PlayerState) (StateChange, error) {
		now := s.Now()
		st.PositionMS = PositionAt(st, now)
		st.Timestamp = now.UnixMilli()
		if st.Repeat == "" {
			st.Repeat = RepeatOff
		}
		return change(st, now)
	})
}

// activate makes d the active device. When playback moves to another
// device, a new session starts and the old device is told to pause.
func (s *Service) activate(st *PlayerState, d Device, cmds map[string]PlayerCommand) {
	if st.DeviceID != d.ID {
		if st.DeviceID != "" {
			cmds[st.DeviceID] = PlayerCommand{Action: ActionPause, PositionMS: st.PositionMS}
		}
		st.SessionID = s.newSessionID()
	}
	st.DeviceID, st.DeviceName, st.DeviceType = d.ID, d.Name, d.Type
	st.AlsoPlaying = without(st.AlsoPlaying, d.ID)
}

// playCommand tells the active device to play the current track from the
// current position.
func playCommand(st *PlayerState) PlayerCommand {
	return PlayerCommand{Action: ActionPlay, TrackID: st.TrackID, PositionMS: st.PositionMS, SessionID: st.SessionID}
}

func without(s []string, x string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
