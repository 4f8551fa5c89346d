package serving

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// playlistPoll is how often a live stream re-reads the change log even
// without a local write, to pick up writes made through other serving
// processes.
const playlistPoll = time.Second

// playlistHub wakes the live streams of a playlist when this process
// writes to it.
type playlistHub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func newPlaylistHub() *playlistHub {
	return &playlistHub{subs: map[string]map[chan struct{}]struct{}{}}
}

func (h *playlistHub) subscribe(id string) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[id] == nil {
		h.subs[id] = map[chan struct{}]struct{}{}
	}
	h.subs[id][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[id], ch)
		if len(h.subs[id]) == 0 {
			delete(h.subs, id)
		}
		h.mu.Unlock()
	}
}

func (h *playlistHub) notify(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // already woken
		}
	}
}

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
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			writeError(w, music.Errorf(music.EINVALID, "since %q: want a version >= 0", v))
			return
		}
		break
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		if u, ok2 := w.(interface{ Unwrap() http.ResponseWriter }); ok2 {
			flusher, ok = u.Unwrap().(http.Flusher)
		}
	}
	if !ok {
		writeError(w, music.Errorf(music.EUNSUPPORTED, "this connection cannot stream events"))
		return
	}
	wake, unsubscribe := hub.subscribe(id)
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, ": playlist %s from version %d\n\n", id, since)
	flusher.Flush()
	tick := time.NewTicker(playlistPoll)
	defer tick.Stop()
	for {
		changes, err := store.Changes(r.Context(), id, me, since)
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
		select {
		case <-r.Context().Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}
