package serving

import (
	"net/http"
	"strconv"

	music "github.com/openmusic/music"
)

// changesPageJSON is one bounded read of a playlist's change log: the
// changes after Since, oldest first, and the playlist's version. More
// says changes after the last one here remain: read again from it.
type changesPageJSON struct {
	PlaylistID string       `json:"playlist_id"`
	Since      int64        `json:"since"`
	Version    int64        `json:"version"`
	Changes    []changeJSON `json:"changes"`
	More       bool         `json:"more"`
}

// changes answers GET /api/v1/playlists/{id}/changes?since=V&limit=N: the
// live stream's read of the change log, once, for a client that catches
// up and goes (an offline device's sync). A since the log no longer
// reaches back to, or one ahead of the playlist, is 410: the client
// cannot apply changes to what it holds and reads the whole playlist.
func (a *playlistAPI) changes(w http.ResponseWriter, r *http.Request, me string) {
	q := r.URL.Query()
	v := q.Get("since")
	if v == "" {
		writeError(w, music.Errorf(music.EINVALID, "since: required, the version the client holds (0 for the whole log)"))
		return
	}
	since, err := parseSince(v)
	if err != nil {
		writeError(w, err)
		return
	}
	limit := changesPage
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > music.MaxChangesPage {
			writeError(w, music.Errorf(music.EINVALID, "limit %q: want an integer from 1 to %d", v, music.MaxChangesPage))
			return
		}
	}
	id := r.PathValue("id")
	p, err := a.store.Playlist(r.Context(), id, me)
	if err != nil {
		writeError(w, err)
		return
	}
	if since > p.Version {
		writeError(w, music.Errorf(music.EGONE, "since %d: playlist %s is at version %d; read the whole playlist", since, id, p.Version))
		return
	}
	cs, err := a.store.Changes(r.Context(), id, me, since, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	if since < p.Version && (len(cs) == 0 || cs[0].Version != since+1) {
		writeError(w, music.Errorf(music.EGONE, "since %d: playlist %s's change log no longer reaches back to it; read the whole playlist", since, id))
		return
	}
	out := changesPageJSON{PlaylistID: id, Since: since, Version: p.Version, Changes: make([]changeJSON, 0, len(cs))}
	for i := range cs {
		out.Changes = append(out.Changes, newChangeJSON(&cs[i]))
	}
	if n := len(cs); n > 0 {
		// A write between the two reads may be in the page already.
		last := cs[n-1].Version
		out.Version = max(out.Version, last)
		out.More = last < out.Version
	}
	w.Header().Set("ETag", versionETag(out.Version))
	writeJSON(w, http.StatusOK, out)
}
