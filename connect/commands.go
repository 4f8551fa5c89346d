package connect

import (
	"context"
	"slices"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/shuffle"
)

// Transfer moves playback to deviceID: it becomes the active device with
// a new session, gets a play command at the extrapolated position (when
// playing, or when play is true), and the old device gets pause. A device
// the user does not have is ENOTFOUND and changes nothing.
func (s *Service) Transfer(ctx context.Context, u *music.User, deviceID string, play bool) (*PlayerEvent, error) {
	d, err := s.device(ctx, u, deviceID)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		cmds := map[string]PlayerCommand{}
		s.activate(st, d, cmds)
		if play && st.TrackID != "" {
			st.Playing = true
		}
		if st.Playing {
			cmds[d.ID] = playCommand(st)
		}
		return StateChange{Commands: cmds}, nil
	})
}

// PlayRequest is PUT /me/player/play: a context or a list of tracks (or
// neither, to resume), where to start, and on which device ("" is the
// active one).
type PlayRequest struct {
	DeviceID    string
	ContextURI  string
	URIs        []string
	OffsetIndex *int
	OffsetURI   string
	PositionMS  *int64
}

// Play starts a context or track list, or resumes. On another device than
// the active one, playback moves there as in Transfer.
func (s *Service) Play(ctx context.Context, u *music.User, req PlayRequest) (*PlayerEvent, error) {
	target, err := s.targetDevice(ctx, u, req.DeviceID)
	if err != nil {
		return nil, err
	}
	tracks, err := s.resolvePlay(ctx, u, req)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		d := target
		if d.ID == "" { // the active device, as of this version
			if st.DeviceID == "" {
				return StateChange{}, errNoActiveDevice()
			}
			d = Device{ID: st.DeviceID, Name: st.DeviceName, Type: st.DeviceType}
		}
		if tracks != nil {
			if err := s.load(st, req, tracks); err != nil {
				return StateChange{}, err
			}
		} else if st.TrackID == "" {
			return StateChange{}, music.Errorf(music.EUNPROCESSABLE, "nothing to resume: give context_uri or uris")
		}
		if req.PositionMS != nil {
			if err := seekTo(st, *req.PositionMS); err != nil {
				return StateChange{}, err
			}
		}
		cmds := map[string]PlayerCommand{}
		s.activate(st, d, cmds)
		st.Playing = true
		cmds[d.ID] = playCommand(st)
		return StateChange{Commands: cmds}, nil
	})
}

// targetDevice is the named device, or the zero device meaning "the
// active one" when id is "".
func (s *Service) targetDevice(ctx context.Context, u *music.User, id string) (Device, error) {
	if id == "" {
		return Device{}, nil
	}
	return s.device(ctx, u, id)
}

func errNoActiveDevice() error {
	return music.Errorf(music.ENOTFOUND, "no active device: transfer playback to a device or name one with device_id")
}

// resolvePlay looks up what a play request names; nil means resume.
func (s *Service) resolvePlay(ctx context.Context, u *music.User, req PlayRequest) ([]TrackInfo, error) {
	switch {
	case req.ContextURI != "" && len(req.URIs) > 0:
		return nil, music.Errorf(music.EINVALID, "give context_uri or uris, not both")
	case req.ContextURI != "":
		kind, _, _ := strings.Cut(req.ContextURI, ":")
		if kind != "album" && kind != "playlist" {
			return nil, music.Errorf(music.EINVALID, "context_uri %.80q: want album:ID or playlist:ID", req.ContextURI)
		}
		ts, err := s.Tracks.Context(ctx, u, req.ContextURI, MaxContext)
		if err == nil && len(ts) == 0 {
			err = music.Errorf(music.EUNPROCESSABLE, "context %s has no tracks you can play", req.ContextURI)
		}
		return ts, err
	case len(req.URIs) > MaxURIs:
		return nil, music.Errorf(music.EINVALID, "uris: %d tracks, at most %d", len(req.URIs), MaxURIs)
	case len(req.URIs) > 0:
		ids := make([]string, len(req.URIs))
		for i, uri := range req.URIs {
			id, err := TrackURI(uri)
			if err != nil {
				return nil, music.Errorf(music.EINVALID, "uris[%d]: %s", i, music.ErrorMessage(err))
			}
			ids[i] = id
		}
		return s.Tracks.Tracks(ctx, u, ids)
	case req.OffsetIndex != nil || req.OffsetURI != "":
		return nil, music.Errorf(music.EINVALID, "offset needs context_uri or uris")
	}
	return nil, nil
}

// TrackURI returns the track ID of track:ID (or a bare ID).
func TrackURI(uri string) (string, error) {
	id := strings.TrimPrefix(uri, "track:")
	if strings.Contains(id, ":") {
		return "", music.Errorf(music.EINVALID, "%.80q is not a track URI (track:ID)", uri)
	}
	return id, validTrackID("uri", id)
}

// load puts a new context (or track list) in st, starting at the offset.
// With shuffle on, the new order has a new seed and starts at the offset
// track.
func (s *Service) load(st *PlayerState, req PlayRequest, tracks []TrackInfo) error {
	start := 0
	switch {
	case req.OffsetIndex != nil:
		if *req.OffsetIndex < 0 || *req.OffsetIndex >= len(tracks) {
			return music.Errorf(music.EINVALID, "offset.position %d: the context has %d tracks", *req.OffsetIndex, len(tracks))
		}
		start = *req.OffsetIndex
	case req.OffsetURI != "":
		id, err := TrackURI(req.OffsetURI)
		if err != nil {
			return music.Errorf(music.EINVALID, "offset.uri: %s", music.ErrorMessage(err))
		}
		start = slices.IndexFunc(tracks, func(t TrackInfo) bool { return t.ID == id })
		if start < 0 {
			return music.Errorf(music.EUNPROCESSABLE, "offset.uri %s is not in the context", req.OffsetURI)
		}
	}
	st.ContextURI = req.ContextURI
	st.Tracks = make([]string, len(tracks))
	for i, t := range tracks {
		st.Tracks[i] = t.ID
	}
	st.Order, st.Index = nil, start
	if st.Shuffle {
		st.ShuffleSeed = s.Rand()
		st.Order = ShuffledOrder(tracks, st.ShuffleSeed, start)
		st.Index = 0
	}
	setTrack(st, tracks[start], false)
	return nil
}

// ShuffledOrder is the play order of a shuffled context: the dithered
// shuffle of its tracks under seed, with the track at context position
// first moved to the front (it is the one playing).
func ShuffledOrder(tracks []TrackInfo, seed uint64, first int) []int {
	feats := make([]shuffle.Track, len(tracks))
	for i, t := range tracks {
		feats[i] = t.Track
	}
	order := shuffle.Dither(feats, seed)
	if first >= 0 {
		at := slices.Index(order, first)
		copy(order[1:at+1], order[:at])
		order[0] = first
	}
	return order
}

func setTrack(st *PlayerState, t TrackInfo, fromQueue bool) {
	st.TrackID, st.DurationMS, st.FromQueue = t.ID, t.DurationMS, fromQueue
	st.PositionMS = 0
}

// seekTo moves within the current track; past its end is EUNPROCESSABLE.
func seekTo(st *PlayerState, pos int64) error {
	if pos < 0 {
		return music.Errorf(music.EINVALID, "position_ms %d: want >= 0", pos)
	}
	if st.DurationMS > 0 && pos >= st.DurationMS {
		return music.Errorf(music.EUNPROCESSABLE, "position_ms %d is past the end of track %s (%d ms)", pos, st.TrackID, st.DurationMS)
	}
	st.PositionMS = pos
	return nil
}

// Pause pauses the active device, or a premium device playing beside it.
func (s *Service) Pause(ctx context.Context, u *music.User, deviceID string) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if deviceID != "" && deviceID != st.DeviceID {
			if !slices.Contains(st.AlsoPlaying, deviceID) {
				return StateChange{}, music.Errorf(music.ENOTFOUND, "device %q is not playing", deviceID)
			}
			st.AlsoPlaying = without(st.AlsoPlaying, deviceID)
			return StateChange{Commands: map[string]PlayerCommand{deviceID: {Action: ActionPause}}}, nil
		}
		if st.DeviceID == "" {
			return StateChange{}, errNoActiveDevice()
		}
		st.Playing = false
		return StateChange{Commands: map[string]PlayerCommand{
			st.DeviceID: {Action: ActionPause, PositionMS: st.PositionMS}}}, nil
	})
}

// Seek moves the active device within the current track.
func (s *Service) Seek(ctx context.Context, u *music.User, pos int64) (*PlayerEvent, error) {
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if st.DeviceID == "" || st.TrackID == "" {
			return StateChange{}, errNoActiveDevice()
		}
		if err := seekTo(st, pos); err != nil {
			return StateChange{}, err
		}
		return StateChange{Commands: map[string]PlayerCommand{
			st.DeviceID: {Action: ActionSeek, PositionMS: pos}}}, nil
	})
}

// SetRepeat sets the repeat mode.
func (s *Service) SetRepeat(ctx context.Context, u *music.User, mode string) (*PlayerEvent, error) {
	if !slices.Contains(RepeatModes, mode) {
		return nil, music.Errorf(music.EINVALID, "state %.40q: want off, context or track", mode)
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		st.Repeat = mode
		return StateChange{}, nil
	})
}

// SetShuffle turns shuffle on (a new seed; the current track stays and
// the rest of the context is reordered) or off (back to context order at
// the current track).
func (s *Service) SetShuffle(ctx context.Context, u *music.User, on bool) (*PlayerEvent, error) {
	st0, err := s.Store.State(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	var infos []TrackInfo
	if on && len(st0.Tracks) > 0 {
		if infos, err = s.Tracks.Tracks(ctx, u, st0.Tracks); err != nil {
			return nil, err
		}
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if on && !slices.Equal(st.Tracks, st0.Tracks) {
			return StateChange{}, music.Errorf(music.ECONFLICT, "the context changed meanwhile; retry")
		}
		cur := contextPosition(st)
		st.Shuffle = on
		st.Order, st.ShuffleSeed = nil, 0
		if cur >= 0 {
			st.Index = cur
		}
		if on && len(st.Tracks) > 0 {
			st.ShuffleSeed = s.Rand()
			st.Order = ShuffledOrder(infos, st.ShuffleSeed, max(cur, 0))
			st.Index = 0
		}
		return StateChange{}, nil
	})
}

// contextPosition is the context index of the track at the player's
// place in the order, or -1 without a context.
func contextPosition(st *PlayerState) int {
	if len(st.Tracks) == 0 || st.Index < 0 || st.Index >= len(st.Tracks) {
		return -1
	}
	if st.Order != nil {
		return st.Order[st.Index]
	}
	return st.Index
}

// AddToQueue appends a track to the user's queue.
func (s *Service) AddToQueue(ctx context.Context, u *music.User, uri string) (*PlayerEvent, error) {
	id, err := TrackURI(uri)
	if err != nil {
		return nil, err
	}
	if _, err := s.Tracks.Tracks(ctx, u, []string{id}); err != nil {
		return nil, err
	}
	return s.update(ctx, u, func(st *PlayerState, now time.Time) (StateChange, error) {
		if len(st.Queue) >= MaxQueue {
			return StateChange{}, music.Errorf(music.EUNPROCESSABLE, "the queue is full (%d tracks)", MaxQueue)
		}
		st.Queue = append(st.Queue, id)
		return StateChange{}, nil
	})
}
