package serving

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// playlistPoll is how often a playlist with live streams is checked for
// writes made through other serving processes.
const playlistPoll = time.Second

// DefaultStreamsPerUser is how many live event streams one user may hold
// open at once on one serving process.
const DefaultStreamsPerUser = 8

// playlistHub wakes the live streams of a playlist: at once when this
// process writes to it, and, for writes through other processes, from one
// shared poller per playlist (one cheap version read a second however
// many streams watch it). It also caps the streams per user.
type playlistHub struct {
	store   music.PlaylistStore
	perUser int

	mu    sync.Mutex
	subs  map[string]*watchers // by playlist ID
	users map[string]int       // open streams by user ID
}

// watchers are the streams of one playlist and its poller.
type watchers struct {
	chans map[chan struct{}]string // wake channel → the stream's user
	stop  chan struct{}
}

func newPlaylistHub(store music.PlaylistStore, perUser int) *playlistHub {
	if perUser <= 0 {
		perUser = DefaultStreamsPerUser
	}
	return &playlistHub{store: store, perUser: perUser, subs: map[string]*watchers{}, users: map[string]int{}}
}

// subscribe registers a stream of playlist id for user; over the user's
// cap it is ERATELIMIT. The first stream of a playlist starts its poller,
// the last one stops it.
func (h *playlistHub) subscribe(id, user string, version int64) (chan struct{}, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.users[user] >= h.perUser {
		return nil, nil, music.Errorf(music.ERATELIMIT, "at most %d live playlist streams per user; close one first", h.perUser)
	}
	h.users[user]++
	ch := make(chan struct{}, 1)
	w := h.subs[id]
	if w == nil {
		w = &watchers{chans: map[chan struct{}]string{}, stop: make(chan struct{})}
		h.subs[id] = w
		go h.poll(id, version, w.stop)
	}
	w.chans[ch] = user
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.users[user]--; h.users[user] <= 0 {
			delete(h.users, user)
		}
		delete(w.chans, ch)
		if len(w.chans) == 0 {
			close(w.stop)
			delete(h.subs, id)
		}
	}, nil
}

// poll reads the playlist's version every playlistPoll, as one of its
// watchers, and wakes every stream when it moved or the read failed (each
// stream then reads its changes with its own access).
func (h *playlistHub) poll(id string, version int64, stop chan struct{}) {
	tick := time.NewTicker(playlistPoll)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		h.mu.Lock()
		user := ""
		if w := h.subs[id]; w != nil {
			for _, u := range w.chans {
				user = u
				break
			}
		}
		h.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), playlistPoll)
		p, err := h.store.Playlist(ctx, id, user)
		cancel()
		if err == nil && p.Version == version {
			continue
		}
		if err == nil {
			version = p.Version
		}
		h.notify(id)
	}
}

func (h *playlistHub) notify(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	w := h.subs[id]
	if w == nil {
		return
	}
	for ch := range w.chans {
		select {
		case ch <- struct{}{}:
		default: // already woken
		}
	}
}

// changesPage is how many changes a stream reads at a time.
const changesPage = 100

// streamPlaylist sends a playlist's changes as Server-Sent Events, one
// "change" event per version (id: the version), starting after ?since=
// or Last-Event-ID (default: the current version, so only new changes).
// A deleted playlist ends the stream with a "deleted" event.
func (s *Server) streamPlaylist(w http.ResponseWriter, r *http.Request, store music.PlaylistStore, hub *playlistHub, me string) {
	id := r.PathValue("id")
	p, err := store.Playlist(r.Context(), id, me)
	if err != nil {
		writeError(w, err)
		return
	}
	since := p.Version
	for _, v := range []string{r.URL.Query().Get("since"), r.Header.Get("Last-Event-ID")} {
		if v == "" {
			continue
		}
		if since, err = parseSince(v); err != nil {
			writeError(w, err)
			return
		}
		break
	}
	flusher, ok := findFlusher(w)
	if !ok {
		writeError(w, music.Errorf(music.EUNSUPPORTED, "this connection cannot stream events"))
		return
	}
	wake, unsubscribe, err := hub.subscribe(id, me, p.Version)
	if err != nil {
		writeError(w, err)
		return
	}
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, ": playlist %s from version %d\n\n", id, since)
	flusher.Flush()
	for {
		changes, err := store.Changes(r.Context(), id, me, since, changesPage)
		switch music.ErrorCode(err) {
		case "":
		case music.ENOTFOUND:
			fmt.Fprintf(w, "event: deleted\ndata: {\"playlist_id\":%q}\n\n", id)
			flusher.Flush()
			return
		default:
			// Lost access or the store failed: tell the client and stop.
			fmt.Fprintf(w, "event: error\ndata: {\"code\":%q}\n\n", music.ErrorCode(err))
			flusher.Flush()
			return
		}
		for i := range changes {
			b, _ := json.Marshal(newChangeJSON(&changes[i]))
			fmt.Fprintf(w, "id: %d\nevent: change\ndata: %s\n\n", changes[i].Version, b)
			since = changes[i].Version
		}
		if len(changes) > 0 {
			flusher.Flush()
		}
		if len(changes) == changesPage {
			continue // more history to catch up on
		}
		select {
		case <-r.Context().Done():
			return
		case <-wake:
		}
	}
}

// parseSince reads a playlist version a client has seen, for ?since= and
// Last-Event-ID.
func parseSince(v string) (int64, error) {
	since, err := strconv.ParseInt(v, 10, 64)
	if err != nil || since < 0 {
		return 0, music.Errorf(music.EINVALID, "since %q: want a version >= 0", v)
	}
	return since, nil
}

// findFlusher finds the connection's Flush under the writers that wrap
// it (metrics, sign-in limits: one Unwrap each).
func findFlusher(w http.ResponseWriter) (http.Flusher, bool) {
	for {
		if f, ok := w.(http.Flusher); ok {
			return f, true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil, false
		}
		w = u.Unwrap()
	}
}
