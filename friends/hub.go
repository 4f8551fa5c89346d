package friends

import (
	"sync"

	music "github.com/openmusic/music"
)

// Kinds of live events.
const (
	EventPlay = "play" // a followed user started a track
	EventHide = "hide" // a followed user hid their listening: drop their entry
)

// Event is one change a live stream shows.
type Event struct {
	Kind     string
	Activity music.Activity // play: the play; hide: only UserID
}

// streamBuffer is how many events a slow stream may lag behind; past it
// the stream is told to resynchronise instead of blocking the feed. The
// buffer holds pointers to one shared event, so an idle stream costs a
// few hundred bytes (100,000 of them: docs/benchmarks/social.md).
const streamBuffer = 16

// Hub delivers live events in process to the streams of the viewers who
// follow the player. Streams are indexed by the users they watch, so a
// play costs one map lookup plus one send per connected follower, and
// nothing for followers who are not connected.
type Hub struct {
	mu       sync.Mutex
	watchers map[string]map[*Stream]struct{} // by watched user
	viewers  map[string]map[*Stream]struct{} // by viewer
}

// NewHub returns a hub with no streams.
func NewHub() *Hub {
	return &Hub{watchers: map[string]map[*Stream]struct{}{}, viewers: map[string]map[*Stream]struct{}{}}
}

// Stream is one viewer's live connection.
type Stream struct {
	Viewer string
	// Events carries plays and hides of watched users; every stream gets
	// the same *Event, which nobody may change.
	Events chan *Event
	// Resync is signalled when the stream should re-read whom it may
	// watch and send a fresh snapshot: after a block, or when it fell
	// behind and events were dropped.
	Resync chan struct{}

	hub      *Hub
	watching []string
}

// MaxStreamsPerViewer is how many live streams one viewer may hold open
// on one process.
const MaxStreamsPerViewer = 8

// Subscribe opens a stream for viewer watching the given users; past
// MaxStreamsPerViewer it is ERATELIMIT.
func (h *Hub) Subscribe(viewer string, watching []string) (*Stream, error) {
	s := &Stream{Viewer: viewer, Events: make(chan *Event, streamBuffer), Resync: make(chan struct{}, 1), hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.viewers[viewer]) >= MaxStreamsPerViewer {
		return nil, music.Errorf(music.ERATELIMIT, "at most %d live friend activity streams per user; close one first", MaxStreamsPerViewer)
	}
	add(h.viewers, viewer, s)
	s.watchLocked(watching)
	return s, nil
}

// Watch replaces whom the stream watches.
func (s *Stream) Watch(watching []string) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.unwatchLocked()
	s.watchLocked(watching)
}

// Close takes the stream out of the hub.
func (s *Stream) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.unwatchLocked()
	remove(s.hub.viewers, s.Viewer, s)
}

func (s *Stream) watchLocked(watching []string) {
	s.watching = append([]string(nil), watching...)
	for _, id := range s.watching {
		add(s.hub.watchers, id, s)
	}
}

func (s *Stream) unwatchLocked() {
	for _, id := range s.watching {
		remove(s.hub.watchers, id, s)
	}
	s.watching = nil
}

func add(m map[string]map[*Stream]struct{}, key string, s *Stream) {
	set := m[key]
	if set == nil {
		set = map[*Stream]struct{}{}
		m[key] = set
	}
	set[s] = struct{}{}
}

func remove(m map[string]map[*Stream]struct{}, key string, s *Stream) {
	if set := m[key]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(m, key)
		}
	}
}

// Publish sends e to every stream watching its user and returns how many
// got it. It never blocks: a full stream is told to resynchronise.
func (h *Hub) Publish(e Event) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n, shared := 0, &e
	for s := range h.watchers[e.Activity.UserID] {
		select {
		case s.Events <- shared:
			n++
		default:
			signal(s.Resync)
		}
	}
	return n
}

// Resync tells every stream of the viewers to re-read whom they may
// watch (a block changed it).
func (h *Hub) Resync(viewers []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, v := range viewers {
		for s := range h.viewers[v] {
			signal(s.Resync)
		}
	}
}

// Streams is how many streams are open (for tests and metrics).
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.viewers {
		n += len(set)
	}
	return n
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default: // already signalled
	}
}
