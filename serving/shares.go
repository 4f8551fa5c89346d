package serving

import (
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// Share link routes, registered by HandleSocial:
//
//	POST   /api/v1/shares                  {"type": "track|album|playlist", "id": …} → 201 with the token, shown once
//	POST   /api/v1/playlists/{id}/share    the same for a playlist
//	GET    /api/v1/me/shares               my live shares (no tokens)
//	DELETE /api/v1/shares/{id}             revoke (its creator or the playlist's owner)
//	GET    /api/v1/shared/{token}          what the link opens, for any signed-in caller
//
// Only who may read a playlist may share it; a private one then opens for
// whoever holds the link, read-only, until it is revoked. A track or an
// album opens only where the holder may see it (their territory, the
// deal's dates): a link carries access to a playlist, never a licence.

// shareJSON is a share link as its creator sees it; Token and URL only in
// the answer that made it.
type shareJSON struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	TargetID  string    `json:"target_id"`
	CreatedAt time.Time `json:"created_at"`
	Token     string    `json:"token,omitempty"`
	URL       string    `json:"url,omitempty"`
}

func newShareJSON(sh *music.Share, token string) shareJSON {
	out := shareJSON{ID: sh.ID, Type: sh.Kind, TargetID: sh.TargetID, CreatedAt: sh.CreatedAt, Token: token}
	if token != "" {
		out.URL = "/api/v1/shared/" + token
	}
	return out
}

// shareRequest is the body of POST /shares.
type shareRequest struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func (a *socialAPI) createShare(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in shareRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.checkShareable(r, me, in.Type, in.ID); err != nil {
		return err
	}
	return a.share(w, r, me, in.Type, in.ID)
}

func (a *socialAPI) sharePlaylist(w http.ResponseWriter, r *http.Request, me *music.User) error {
	if _, err := a.Playlists.Playlist(r.Context(), r.PathValue("id"), me.ID); err != nil {
		return err
	}
	return a.share(w, r, me, music.SharePlaylist, r.PathValue("id"))
}

func (a *socialAPI) share(w http.ResponseWriter, r *http.Request, me *music.User, kind, id string) error {
	sh, token, err := a.Shares.CreateShare(r.Context(), me.ID, kind, id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/shared/"+token)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, newShareJSON(sh, token))
	return nil
}

// checkShareable makes sure the caller may see what a POST /shares body
// names: a thing one cannot see cannot be shared.
func (a *socialAPI) checkShareable(r *http.Request, me *music.User, kind, id string) error {
	if id == "" || len(id) > 200 {
		return music.Errorf(music.EINVALID, "id: want 1 to 200 bytes")
	}
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	switch kind {
	case music.ShareTrack:
		_, err = a.Catalog.Track(r.Context(), id, v)
	case music.ShareAlbum:
		_, err = a.Catalog.Release(r.Context(), id, v)
	case music.SharePlaylist:
		_, err = a.Playlists.Playlist(r.Context(), id, me.ID)
	default:
		return music.Errorf(music.EINVALID, "type %q: want track, album or playlist", kind)
	}
	if music.ErrorCode(err) == music.ENOTFOUND {
		// An unknown id in a body is unprocessable, as in the library.
		return music.Errorf(music.EUNPROCESSABLE, "id: no %s %q", kind, id)
	}
	return err
}

func (a *socialAPI) myShares(w http.ResponseWriter, r *http.Request, me *music.User) error {
	offset, limit, err := paging(r)
	if err != nil {
		return err
	}
	shares, total, err := a.Shares.SharesOf(r.Context(), me.ID, offset, limit)
	if err != nil {
		return err
	}
	out := pageJSON[shareJSON]{Items: make([]shareJSON, 0, len(shares)), Total: total, Offset: offset, Limit: limit}
	for i := range shares {
		out.Items = append(out.Items, newShareJSON(&shares[i], ""))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *socialAPI) revokeShare(w http.ResponseWriter, r *http.Request, me *music.User) error {
	if err := a.Shares.RevokeShare(r.Context(), me.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sharedJSON is what a link opens: one of track, album or playlist (with
// its first page of entries).
type sharedJSON struct {
	Type     string           `json:"type"`
	Track    *trackJSON       `json:"track,omitempty"`
	Album    *albumJSON       `json:"album,omitempty"`
	Playlist *playlistJSON    `json:"playlist,omitempty"`
	Tracks   *entriesPageJSON `json:"tracks,omitempty"`
}

// sharedLinkGone is the answer for every link that opens nothing, so a
// revoked link and a never-made one look alike.
func sharedLinkGone() error {
	return music.Errorf(music.ENOTFOUND, "no such share link, or it was revoked")
}

func (a *socialAPI) openShare(w http.ResponseWriter, r *http.Request, _ *music.User) error {
	w.Header().Set("Cache-Control", "private, no-store")
	sh, err := a.Shares.ShareByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	out := sharedJSON{Type: sh.Kind}
	switch sh.Kind {
	case music.ShareTrack:
		var t *music.Track
		if t, err = a.Catalog.Track(r.Context(), sh.TargetID, v); err == nil {
			j := a.s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle, v.Territory)
			out.Track = &j
		}
	case music.ShareAlbum:
		var rel *music.Release
		if rel, err = a.Catalog.Release(r.Context(), sh.TargetID, v); err == nil {
			j := a.s.newAlbumJSON(rel, v.Territory)
			out.Album = &j
		}
	case music.SharePlaylist:
		err = a.openSharedPlaylist(r, sh, &out)
	}
	if c := music.ErrorCode(err); c == music.ENOTFOUND || c == music.EFORBIDDEN {
		return sharedLinkGone()
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// openSharedPlaylist reads the playlist as the link's creator: a link is
// worth what its creator may still read, so one made by a collaborator
// who has been removed since opens nothing.
func (a *socialAPI) openSharedPlaylist(r *http.Request, sh *music.Share, out *sharedJSON) error {
	offset, limit, err := paging(r)
	if err != nil {
		return err
	}
	es, p, err := a.Playlists.Entries(r.Context(), sh.TargetID, sh.CreatorID, offset, limit)
	if err != nil {
		return err
	}
	pj := newPlaylistJSON(p)
	page := entriesPageJSON{pageJSON: pageJSON[entryJSON]{Items: make([]entryJSON, 0, len(es)), Total: p.TrackCount,
		Offset: offset, Limit: limit}, Version: p.Version}
	for _, e := range es {
		page.Items = append(page.Items, newEntryJSON(e))
	}
	out.Playlist, out.Tracks = &pj, &page
	return nil
}
