package serving

import (
	"context"
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
//	GET    /api/v1/playlists/{id}/changes?since&limit     the changes after a version, once (410: read it whole)
//
// Writes take If-Match: "version"; a stale one is 409 with the current
// version in the body and the ETag. Without If-Match a write applies to
// whatever is current, which entry-ID edits make safe; a move of an entry
// removed meanwhile is 409 too, naming it, with the current version. Added tracks must
// be visible to the caller (422 otherwise).
func (s *Server) HandlePlaylists(store music.PlaylistStore, cat music.Catalog, users music.UserStore) {
	a := &playlistAPI{s: s, store: store, cat: cat, hub: newPlaylistHub(store, s.httpLimits.StreamsPerUser)}
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, me string)) {
		s.Handle(pattern, s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
			h(w, r, UserFrom(r.Context()).ID)
		}))
	}
	route("POST /api/v1/playlists", a.create)
	route("GET /api/v1/me/playlists", a.mine)
	route("GET /api/v1/playlists/{id}", a.get)
	route("PATCH /api/v1/playlists/{id}", a.update)
	route("DELETE /api/v1/playlists/{id}", a.delete)
	route("GET /api/v1/playlists/{id}/tracks", a.entries)
	route("POST /api/v1/playlists/{id}/tracks", a.add)
	route("DELETE /api/v1/playlists/{id}/tracks", a.remove)
	route("POST /api/v1/playlists/{id}/tracks/move", a.move)
	route("PUT /api/v1/playlists/{id}/collaborators/{user_id}", a.addCollaborator)
	route("DELETE /api/v1/playlists/{id}/collaborators/{user_id}", a.removeCollaborator)
	s.streams["GET /api/v1/playlists/{id}/events"] = routeStream
	route("GET /api/v1/playlists/{id}/events", a.events)
	route("GET /api/v1/playlists/{id}/changes", a.changes)
}

// playlistAPI holds what the playlist handlers share; each method serves
// one route of HandlePlaylists for the authenticated user me.
type playlistAPI struct {
	s     *Server
	store music.PlaylistStore
	cat   music.Catalog
	hub   *playlistHub
}

// write runs a store write and answers with the change it made.
func (a *playlistAPI) write(w http.ResponseWriter, r *http.Request, status int, do func(ifVersion int64) (*music.PlaylistChange, error)) {
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
	a.hub.notify(c.PlaylistID)
	w.Header().Set("ETag", versionETag(c.Version))
	if c.Kind == music.ChangeDelete {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, status, newChangeJSON(c))
}

func (a *playlistAPI) create(w http.ResponseWriter, r *http.Request, me string) {
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Public      bool   `json:"public"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, err)
		return
	}
	p, err := a.store.CreatePlaylist(r.Context(), me, in.Name, in.Description, in.Public)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	w.Header().Set("Location", "/api/v1/playlists/"+p.ID)
	writeJSON(w, http.StatusCreated, newPlaylistJSON(p))
}

func (a *playlistAPI) mine(w http.ResponseWriter, r *http.Request, me string) {
	offset, limit, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ps, total, err := a.store.PlaylistsOf(r.Context(), me, offset, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := pageJSON[playlistJSON]{Items: make([]playlistJSON, 0, len(ps)), Total: total, Offset: offset, Limit: limit}
	for i := range ps {
		out.Items = append(out.Items, newPlaylistJSON(&ps[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *playlistAPI) get(w http.ResponseWriter, r *http.Request, me string) {
	p, err := a.store.Playlist(r.Context(), r.PathValue("id"), me)
	if err != nil {
		writeError(w, err)
		return
	}
	out := newPlaylistJSON(p)
	if out.FollowerCount, err = a.s.followersOf(r.Context(), music.FollowPlaylist, p.ID); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	writeJSON(w, http.StatusOK, out)
}

// followersOf is the follower count to show on a playlist or artist, or
// nil when the server has no follows.
func (s *Server) followersOf(ctx context.Context, kind, id string) (*int, error) {
	if s.followerCount == nil {
		return nil, nil
	}
	n, err := s.followerCount(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func (a *playlistAPI) update(w http.ResponseWriter, r *http.Request, me string) {
	var in struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
		Public      *bool   `json:"public"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, err)
		return
	}
	a.write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
		return a.store.UpdatePlaylist(r.Context(), r.PathValue("id"), me, v,
			music.PlaylistUpdate{Name: in.Name, Description: in.Description, Public: in.Public})
	})
}

func (a *playlistAPI) delete(w http.ResponseWriter, r *http.Request, me string) {
	a.write(w, r, http.StatusNoContent, func(v int64) (*music.PlaylistChange, error) {
		return a.store.DeletePlaylist(r.Context(), r.PathValue("id"), me, v)
	})
}

func (a *playlistAPI) entries(w http.ResponseWriter, r *http.Request, me string) {
	offset, limit, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	es, p, err := a.store.Entries(r.Context(), r.PathValue("id"), me, offset, limit)
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
}

func (a *playlistAPI) add(w http.ResponseWriter, r *http.Request, me string) {
	var in placeJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, err)
		return
	}
	if len(in.TrackIDs) == 0 || len(in.TrackIDs) > maxTracksPerAdd || len(in.EntryIDs) > 0 {
		writeError(w, music.Errorf(music.EINVALID, "track_ids: want 1 to %d track IDs (and no entry_ids)", maxTracksPerAdd))
		return
	}
	if err := a.s.checkTracks(r, a.cat, "track_ids", in.TrackIDs); err != nil {
		writeError(w, err)
		return
	}
	a.write(w, r, http.StatusCreated, func(v int64) (*music.PlaylistChange, error) {
		return a.store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, in.edit(music.EditAdd))
	})
}

func (a *playlistAPI) remove(w http.ResponseWriter, r *http.Request, me string) {
	var in struct {
		EntryIDs []string `json:"entry_ids"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, err)
		return
	}
	a.write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
		return a.store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: in.EntryIDs})
	})
}

func (a *playlistAPI) move(w http.ResponseWriter, r *http.Request, me string) {
	var in placeJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeError(w, err)
		return
	}
	a.write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
		return a.store.EditPlaylist(r.Context(), r.PathValue("id"), me, v, in.edit(music.EditMove))
	})
}

func (a *playlistAPI) addCollaborator(w http.ResponseWriter, r *http.Request, me string) {
	a.setCollaborator(w, r, me, true)
}

func (a *playlistAPI) removeCollaborator(w http.ResponseWriter, r *http.Request, me string) {
	a.setCollaborator(w, r, me, false)
}

func (a *playlistAPI) setCollaborator(w http.ResponseWriter, r *http.Request, me string, on bool) {
	a.write(w, r, http.StatusOK, func(v int64) (*music.PlaylistChange, error) {
		return a.store.SetCollaborator(r.Context(), r.PathValue("id"), me, v, r.PathValue("user_id"), on)
	})
}

func (a *playlistAPI) events(w http.ResponseWriter, r *http.Request, me string) {
	a.s.streamPlaylist(w, r, a.store, a.hub, me)
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
	Editorial     bool      `json:"editorial"`
	CoverURL      string    `json:"cover_url,omitempty"`
	// FollowerCount is on the answer of GET /playlists/{id} only.
	FollowerCount *int `json:"follower_count,omitempty"`
}

func newPlaylistJSON(p *music.Playlist) playlistJSON {
	c := p.Collaborators
	if c == nil {
		c = []string{}
	}
	return playlistJSON{ID: p.ID, OwnerID: p.OwnerID, Name: p.Name, Description: p.Description, Public: p.Public,
		Collaborators: c, Version: p.Version, TrackCount: p.TrackCount, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Editorial: p.Editorial, CoverURL: p.CoverURL}
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
