package serving

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// maxTracksPerAdd bounds one add request.
const maxTracksPerAdd = 100

// HandlePlaylists routes the playlist API for listener accounts:
//
//	POST   /api/v1/playlists                              create
//	GET    /api/v1/me/playlists?offset&limit              mine and shared with me
//	GET    /api/v1/playlists/{id}                         ETag: "version"
//	PATCH  /api/v1/playlists/{id}                         rename, describe, public (owner)
//	DELETE /api/v1/playlists/{id}                         (owner)
//	GET    /api/v1/playlists/{id}/tracks?offset&limit
//	POST   /api/v1/playlists/{id}/tracks                  add {track_ids, position | after}
//	DELETE /api/v1/playlists/{id}/tracks                  remove {entry_ids}
//	POST   /api/v1/playlists/{id}/tracks/move             move {entry_ids, position | after}
//	PUT    /api/v1/playlists/{id}/collaborators/{user_id} (owner)
//	DELETE /api/v1/playlists/{id}/collaborators/{user_id} (owner)
//	GET    /api/v1/playlists/{id}/events?since=           live changes (SSE)
//
// Writes take If-Match: "version"; a stale one is 409 with the current
// version in the body and the ETag. Without If-Match a write applies to
// whatever is current, which entry-ID edits make safe. Added tracks must
// be visible to the caller (422 otherwise).
func (s *Server) HandlePlaylists(store music.PlaylistStore, cat music.Catalog, users music.UserStore) {
	hub := newPlaylistHub()
	api := func(pattern string, h func(w http.ResponseWriter, r *http.Request, me string)) {
		s.Handle(pattern, s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
			h(w, r, UserFrom(r.Context()).ID)
		}))
	}
	// write runs a store write and answers with the change it made.
	write := func(w http.ResponseWriter, r *http.Request, status int, do func(ifVersion int64) (*music.PlaylistChange, error)) {
		v, err := ifMatch(r)
		if err != nil {
			writeError(w, err)
			return
		}
		c, err := do(v)
		if err != nil {
			writeError(w, err)
			return
		}
		hub.notify(c.PlaylistID)
		w.Header().Set("ETag", versionETag(c.Version))
		if c.Kind == music.ChangeDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, status, newChangeJSON(c))
	}

	api("POST /api/v1/playlists", func(w http.ResponseWriter, r *http.Request, me string) {
		var in struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Public      bool   `json:"public"`
		}
		if err := decodeJSON(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		p, err := store.CreatePlaylist(r.Context(), me, in.Name, in.Description, in.Public)
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("ETag", versionETag(p.Version))
		w.Header().Set("Location", "/api/v1/playlists/"+p.ID)
		writeJSON(w, http.StatusCreated, newPlaylistJSON(p))
	})
	api("GET /api/v1/me/playlists", func(w http.ResponseWriter, r *http.Request, me string) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ps, total, err := store.PlaylistsOf(r.Context(), me, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := pageJSON[playlistJSON]{Items: make([]playlistJSON, 0, len(ps)), Total: total, Offset: offset, Limit: limit}
		for i := range ps {
			out.Items = append(out.Items, newPlaylistJSON(&ps[i]))
		}
		writeJSON(w, http.StatusOK, out)
	})
	api("GET /api/v1/playlists/{id}", func(w http.ResponseWriter, r *http.Request, me string) {
		p, err := store.Playlist(r.Context(), r.PathValue("id"), me)
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("ETag", versionETag(p.Version))
		writeJSON(w, http.StatusOK, newPlaylistJSON(p))
	})
	api("PATCH /api/v1/playlists/{id}", func(w http.ResponseWriter, r *http.Request, me string) {
		var in struct {
			Name        *string `json:"name"`
			Description *string `json:"description"`
			Public      *bool   `json:"public"`
		}
		if err := decodeJSON(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
			return store.UpdatePlaylist(r.Context(), r.PathValue("id"), me, v,
				music.PlaylistUpdate{Name: in.Name, Description: in.Description, Public: in.Public})
		})
	})
	api("DELETE /api/v1/playlists/{id}", func(w http.ResponseWriter, r *http.Request, me string) {
		write(w, r, http.StatusNoContent, func(v int64) (*music.PlaylistChange, error) {
			return store.DeletePlaylist(r.Context(), r.PathValue("id"), me, v)
		})
	})
	api("GET /api/v1/playlists/{id}/tracks", func(w http.ResponseWriter, r *http.Request, me string) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		es, p, err := store.Entries(r.Context(), r.PathValue("id"), me, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := entriesPageJSON{pageJSON: pageJSON[entryJSON]{Items: make([]entryJSON, 0, len(es)),
			Total: p.TrackCount, Offset: offset, Limit: limit}, Version: p.Version}
		for _, e := range es {
			out.Items = append(out.Items, newEntryJSON(e))
		}
		w.Header().Set("ETag", versionETag(p.Version))
		writeJSON(w, http.StatusOK, out)
	})
	api("POST /api/v1/playlists/{id}/tracks", func(w http.ResponseWriter, r *http.Request, me string) {
		var in placeJSON
		if err := decodeJSON(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		if len(in.TrackIDs) == 0 || len(in.TrackIDs) > maxTracksPerAdd || len(in.EntryIDs) > 0 {
			writeError(w, music.Errorf(music.EINVALID, "track_ids: want 1 to %d track IDs (and no entry_ids)", maxTracksPerAdd))
			return
		}
		if err := s.checkTracks(r, cat, "track_ids", in.TrackIDs); err != nil {
			writeError(w, err)
			return
		}
		write(w, r, http.StatusCreated, func(v int64) (*music.PlaylistChange, error) {
			return store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, in.edit(music.EditAdd))
		})
	})
	api("DELETE /api/v1/playlists/{id}/tracks", func(w http.ResponseWriter, r *http.Request, me string) {
		var in struct {
			EntryIDs []string `json:"entry_ids"`
		}
		if err := decodeJSON(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
			return store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: in.EntryIDs})
		})
	})
	api("POST /api/v1/playlists/{id}/tracks/move", func(w http.ResponseWriter, r *http.Request, me string) {
		var in placeJSON
		if err := decodeJSON(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
			return store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, in.edit(music.EditMove))
		})
	})
	for _, method := range []string{"PUT", "DELETE"} {
		api(method+" /api/v1/playlists/{id}/collaborators/{user_id}", func(w http.ResponseWriter, r *http.Request, me string) {
			write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
				return store.SetCollaborator(r.Context(), r.PathValue("id"), me, v, r.PathValue("user_id"), method == "PUT")
			})
		})
	}
	s.streams["GET /api/v1/playlists/{id}/events"] = routeStream
	api("GET /api/v1/playlists/{id}/events", func(w http.ResponseWriter, r *http.Request, me string) {
		s.streamPlaylist(w, r, store, hub, me)
	})
}

// checkTracks makes sure every track exists and the caller may see it;
// field names the request field in errors.
func (s *Server) checkTracks(r *http.Request, cat music.Catalog, field string, ids []string) error {
	v, err := s.visibility(r)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := cat.Track(r.Context(), id, v); err != nil {
			if music.ErrorCode(err) == music.ENOTFOUND {
				return music.Errorf(music.EUNPROCESSABLE, "%s[%d]: no track %q", field, i, id)
			}
			return err
		}
	}
	return nil
}

// ifMatch reads If-Match as a playlist version: `"7"`, `W/"7"` or 7.
// Absent or * means no precondition (0).
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	t := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 1 {
		return 0, music.Errorf(music.EINVALID, `If-Match %q: want a playlist version such as "3"`, h)
	}
	return v, nil
}

// placeJSON is the body of add and move.
type placeJSON struct {
	TrackIDs []string `json:"track_ids"`
	EntryIDs []string `json:"entry_ids"`
	Position *int     `json:"position"`
	After    string   `json:"after"`
}

func (p placeJSON) edit(kind string) music.PlaylistEdit {
	return music.PlaylistEdit{Kind: kind, TrackIDs: p.TrackIDs, EntryIDs: p.EntryIDs, Position: p.Position, After: p.After}
}

// playlistJSON is a playlist as clients see it.
type playlistJSON struct {
	ID            string    `json:"id"`
	OwnerID       string    `json:"owner_id"`
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	Public        bool      `json:"public"`
	Collaborators []string  `json:"collaborators"`
	Version       int64     `json:"version"`
	TrackCount    int       `json:"track_count"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func newPlaylistJSON(p *music.Playlist) playlistJSON {
	c := p.Collaborators
	if c == nil {
		c = []string{}
	}
	return playlistJSON{ID: p.ID, OwnerID: p.OwnerID, Name: p.Name, Description: p.Description, Public: p.Public,
		Collaborators: c, Version: p.Version, TrackCount: p.TrackCount, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// entryJSON is one playlist entry.
type entryJSON struct {
	EntryID  string    `json:"entry_id"`
	TrackID  string    `json:"track_id"`
	Position int       `json:"position"`
	AddedBy  string    `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
}

func newEntryJSON(e music.PlaylistEntry) entryJSON {
	return entryJSON{EntryID: e.ID, TrackID: e.TrackID, Position: e.Position, AddedBy: e.AddedBy, AddedAt: e.AddedAt}
}

// entriesPageJSON is a page of entries with the version it was read at.
type entriesPageJSON struct {
	pageJSON[entryJSON]
	Version int64 `json:"version"`
}

// changeJSON is one accepted write: the answer to a write and the data of
// one live event.
type changeJSON struct {
	PlaylistID string        `json:"playlist_id"`
	Version    int64         `json:"version"`
	Kind       string        `json:"kind"`
	ActorID    string        `json:"actor_id"`
	At         time.Time     `json:"at"`
	Entries    []entryJSON   `json:"entries,omitempty"`
	After      *string       `json:"after,omitempty"` // with entries: "" = at the start
	Removed    []string      `json:"removed,omitempty"`
	Playlist   *playlistJSON `json:"playlist,omitempty"`
}

func newChangeJSON(c *music.PlaylistChange) changeJSON {
	out := changeJSON{PlaylistID: c.PlaylistID, Version: c.Version, Kind: c.Kind, ActorID: c.ActorID, At: c.At, Removed: c.Removed}
	if len(c.Entries) > 0 {
		after := c.After
		out.After = &after
		for _, e := range c.Entries {
			out.Entries = append(out.Entries, newEntryJSON(e))
		}
	}
	if c.Playlist != nil {
		p := newPlaylistJSON(c.Playlist)
		out.Playlist = &p
	}
	return out
}
