package connect

import (
	"context"
	"slices"
	"time"

	music "github.com/openmusic/music"
)

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

// register adds d to the user's devices and announces connection conn,
// so any other connection of the same device is replaced.
func (s *Service) register(ctx context.Context, u *music.User, d Device, conn string) (*PlayerEvent, error) {
	d.LastSeen = s.Now()
	if err := s.Store.PutDevice(ctx, u.ID, d); err != nil {
		return nil, err
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if st.DeviceID == d.ID { // a rename shows at once
			st.DeviceName, st.DeviceType = d.Name, d.Type
		}
		return StateChange{Registered: &DeviceConnection{DeviceID: d.ID, Conn: conn}}, nil
	})
}

// devicePlaying is a device reporting that its user started playback on
// it. It becomes the active device unless the account is premium and
// another device is playing; then it plays beside that one. On free, the
// device that was playing is told to pause: one plays at a time.
func (s *Service) devicePlaying(ctx context.Context, u *music.User, d Device, trackID string, pos int64) (*PlayerEvent, error) {
	ts, err := s.Tracks.Tracks(ctx, u, []string{trackID})
	if err != nil {
		return nil, err
	}
	t := ts[0]
	if t.DurationMS > 0 && pos >= t.DurationMS {
		return nil, music.Errorf(music.EUNPROCESSABLE, "position_ms %d is past the end of track %s (%d ms)", pos, t.ID, t.DurationMS)
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		cmds := map[string]PlayerCommand{}
		besideActive := u.Plan != music.PlanFree && st.DeviceID != "" && st.DeviceID != d.ID && st.Playing
		if besideActive {
			if !slices.Contains(st.AlsoPlaying, d.ID) {
				st.AlsoPlaying = append(st.AlsoPlaying, d.ID)
			}
			return StateChange{}, nil
		}
		for _, other := range st.AlsoPlaying { // only left over from a premium past
			cmds[other] = PlayerCommand{Action: ActionPause}
		}
		st.AlsoPlaying = nil
		s.activate(st, d, cmds)
		if t.ID != st.TrackID || st.Tracks == nil {
			st.ContextURI, st.Tracks, st.Order, st.Index = "", []string{t.ID}, nil, 0
			if st.Shuffle {
				st.Order = []int{0}
			}
		}
		setTrack(st, t, false)
		st.PositionMS = pos
		st.Playing = true
		return StateChange{Commands: cmds}, nil
	})
}

// devicePaused is a device reporting that its user paused it.
func (s *Service) devicePaused(ctx context.Context, u *music.User, deviceID string, pos int64) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		switch {
		case deviceID == st.DeviceID:
			if st.DurationMS > 0 && pos > st.DurationMS {
				return StateChange{}, music.Errorf(music.EUNPROCESSABLE, "position_ms %d is past the end of track %s (%d ms)", pos, st.TrackID, st.DurationMS)
			}
			st.Playing, st.PositionMS = false, pos
		case slices.Contains(st.AlsoPlaying, deviceID):
			st.AlsoPlaying = without(st.AlsoPlaying, deviceID)
		default:
			return StateChange{}, music.Errorf(music.EUNPROCESSABLE, "paused: device %s is not playing", deviceID)
		}
		return StateChange{}, nil
	})
}

// disconnect is a device connection ending. A goodbye (close 1000) takes
// the device off the list at once and stops the player if it was the
// active one; a dropped connection leaves the device listed until its
// heartbeat expires, so a quick reconnect loses nothing.
func (s *Service) disconnect(ctx context.Context, u *music.User, deviceID string, goodbye bool) error {
	if goodbye {
		if err := s.Store.RemoveDevice(ctx, u.ID, deviceID); err != nil {
			return err
		}
	}
	st, err := s.Store.State(ctx, u.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(st.AlsoPlaying, deviceID) && !(goodbye && st.DeviceID == deviceID) {
		return nil
	}
	_, err = s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		st.AlsoPlaying = without(st.AlsoPlaying, deviceID)
		if goodbye && st.DeviceID == deviceID {
			st.Playing = false
			st.DeviceID, st.DeviceName, st.DeviceType = "", "", ""
		}
		return StateChange{}, nil
	})
	return err
}
