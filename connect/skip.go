package connect

import (
	"context"
	"time"

	music "github.com/openmusic/music"
)

// Next plays the head of the queue, or the next track of the order (at
// the end: stop, or wrap with repeat context).
func (s *Service) Next(ctx context.Context, u *music.User) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if st.DeviceID == "" || st.TrackID == "" {
			return StateChange{}, errNoActiveDevice()
		}
		st.Playing = true
		if err := s.advance(ctx, u, st); err != nil {
			return StateChange{}, err
		}
		return s.playOrStop(st), nil
	})
}

// Previous restarts the track after its first 3 s, else goes one back in
// the order (wrapping with repeat context).
func (s *Service) Previous(ctx context.Context, u *music.User) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if st.DeviceID == "" || st.TrackID == "" {
			return StateChange{}, errNoActiveDevice()
		}
		st.Playing = true
		switch {
		case st.PositionMS > previousRestart || len(st.Tracks) == 0:
			st.PositionMS = 0
		case st.FromQueue: // back to the context track the queue interrupted
			if err := s.goTo(ctx, u, st, st.Index); err != nil {
				return StateChange{}, err
			}
		case st.Index > 0:
			if err := s.goTo(ctx, u, st, st.Index-1); err != nil {
				return StateChange{}, err
			}
		case st.Repeat == RepeatContext:
			if err := s.goTo(ctx, u, st, len(st.Tracks)-1); err != nil {
				return StateChange{}, err
			}
		default:
			st.PositionMS = 0
		}
		return s.playOrStop(st), nil
	})
}

// ended is the active device finishing trackID: replay it under repeat
// track, else go on as Next does.
func (s *Service) ended(ctx context.Context, u *music.User, deviceID, trackID string) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if deviceID != st.DeviceID || trackID != st.TrackID {
			return StateChange{}, music.Errorf(music.EUNPROCESSABLE, "ended %s: the active device is %q playing %q", trackID, st.DeviceID, st.TrackID)
		}
		if st.Repeat == RepeatTrack {
			st.PositionMS = 0
		} else if err := s.advance(ctx, u, st); err != nil {
			return StateChange{}, err
		}
		return s.playOrStop(st), nil
	})
}

// playOrStop is the change's command for the active device: play the
// (new) track while playing, pause when the order ran out.
func (s *Service) playOrStop(st *PlayerState) StateChange {
	c := playCommand(st)
	if !st.Playing {
		c = PlayerCommand{Action: ActionPause, PositionMS: st.PositionMS}
	}
	return StateChange{Commands: map[string]PlayerCommand{st.DeviceID: c}}
}

// advance moves st to the next track. At the end of the order without
// repeat context it stops at the end of the last track.
func (s *Service) advance(ctx context.Context, u *music.User, st *PlayerState) error {
	if len(st.Queue) > 0 {
		ts, err := s.Tracks.Tracks(ctx, u, st.Queue[:1])
		if err != nil {
			return err
		}
		st.Queue = st.Queue[1:]
		setTrack(st, ts[0], true)
		return nil
	}
	next := st.Index + 1
	if next >= len(st.Tracks) {
		if st.Repeat != RepeatContext || len(st.Tracks) == 0 {
			st.Playing = false
			st.PositionMS = st.DurationMS
			return nil
		}
		next = 0
	}
	return s.goTo(ctx, u, st, next)
}

// goTo plays the track at index of the play order.
func (s *Service) goTo(ctx context.Context, u *music.User, st *PlayerState, index int) error {
	st.Index = index
	ts, err := s.Tracks.Tracks(ctx, u, []string{st.Tracks[contextPosition(st)]})
	if err != nil {
		return err
	}
	setTrack(st, ts[0], false)
	return nil
}

// UpNext is GET /me/player/queue: the current track and what follows it.
type UpNext struct {
	Current *TrackInfo
	Next    []QueueItem
}

// QueueItem is an upcoming track.
type QueueItem struct {
	TrackInfo
	FromQueue bool
}

// Queue lists the current track and the next queuePreview: the user's
// queue first, then the order.
func (s *Service) Queue(ctx context.Context, u *music.User) (*UpNext, error) {
	st, err := s.Store.State(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var ids []string
	fromQueue := 0
	for _, id := range st.Queue {
		if len(ids) == queuePreview {
			break
		}
		ids = append(ids, id)
		fromQueue++
	}
	for i := st.Index + 1; len(ids) < queuePreview && len(st.Tracks) > 0; i++ {
		if i >= len(st.Tracks) {
			if st.Repeat != RepeatContext {
				break
			}
			i = 0
		}
		if i == st.Index { // wrapped all the way round
			break
		}
		at := i
		if st.Order != nil {
			at = st.Order[i]
		}
		ids = append(ids, st.Tracks[at])
	}
	out := &UpNext{}
	if st.TrackID != "" {
		out.Current = &TrackInfo{ID: st.TrackID, DurationMS: st.DurationMS}
	}
	if len(ids) == 0 {
		return out, nil
	}
	infos, err := s.Tracks.Tracks(ctx, u, ids)
	if err != nil {
		return nil, err
	}
	for i, t := range infos {
		out.Next = append(out.Next, QueueItem{TrackInfo: t, FromQueue: i < fromQueue})
	}
	return out, nil
}
