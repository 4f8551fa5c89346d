package serving

import (
	"context"
	"net/http"

	music "github.com/openmusic/music"
)

// Editorial routes, registered by HandleSocial when Social.Editorial is
// set:
//
//	POST   /api/v1/editorial/playlists        ops and labels: {name, description, cover_url, track_ids} → 201
//	PATCH  /api/v1/editorial/playlists/{id}   ops, or the label that curated it: {name, description, cover_url}
//	DELETE /api/v1/editorial/playlists/{id}   the same
//	POST   /api/v1/editorial/playlists/{id}/tracks  the same: add {track_ids, position | after}
//	DELETE /api/v1/editorial/playlists/{id}/tracks  the same: remove {entry_ids}
//	GET    /api/v1/browse/featured-playlists  any role: editorial playlists, newest first
//
// and playlists in search (?type=playlist, search.go). A label may
// include only recordings whose ISRC it owns (403 naming the entry); an
// unknown track is 422. Curators (podcasts.go) are ops and labels. The playlist is public and owned by the editorial
// account, so no listener route can change it.

// editorialRequest is the body of POST /editorial/playlists.
type editorialRequest struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	CoverURL    string   `json:"cover_url"`
	TrackIDs    []string `json:"track_ids"`
}

func (a *socialAPI) createEditorial(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in editorialRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if len(in.TrackIDs) > music.MaxEditorialTracks {
		return music.Errorf(music.EINVALID, "track_ids: want at most %d, got %d", music.MaxEditorialTracks, len(in.TrackIDs))
	}
	if err := a.checkCuratedTracks(r.Context(), me, in.TrackIDs); err != nil {
		return err
	}
	p, err := a.Editorial.CreateEditorialPlaylist(r.Context(), me.ID, music.EditorialPlaylist{Name: in.Name,
		Description: in.Description, CoverURL: in.CoverURL, TrackIDs: in.TrackIDs})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/playlists/"+p.ID)
	writeJSON(w, http.StatusCreated, newPlaylistJSON(p))
	return nil
}

// checkCuratedTracks makes sure every track exists (in any territory: an
// editorial list is global, and each listener's reads are filtered) and,
// for a label, is a recording the label owns.
func (a *socialAPI) checkCuratedTracks(ctx context.Context, me *music.User, ids []string) error {
	for i, id := range ids {
		t, err := a.Catalog.Track(ctx, id, music.Visibility{})
		if music.ErrorCode(err) == music.ENOTFOUND {
			return music.Errorf(music.EUNPROCESSABLE, "track_ids[%d]: no track %q", i, id)
		}
		if err != nil {
			return err
		}
		if me.Role != music.RoleLabel {
			continue
		}
		o, err := a.Owners.OwnerOf(ctx, music.OwnISRC, t.ISRC)
		if err != nil {
			return err
		}
		if o.OwnerID != me.ID {
			return music.Errorf(music.EFORBIDDEN, "track_ids[%d]: ISRC %s of track %s is not your label's; a label curates only its own recordings", i, t.ISRC, id)
		}
	}
	return nil
}

// curated returns the editorial playlist of the path if me may curate
// it: ops, or the account that made it.
func (a *socialAPI) curated(r *http.Request, me *music.User) (*music.Playlist, error) {
	id := r.PathValue("id")
	p, err := a.Playlists.Playlist(r.Context(), id, music.EditorialOwnerID)
	if err == nil && !p.Editorial {
		err = music.Errorf(music.ENOTFOUND, "no editorial playlist %q", id)
	}
	if err != nil {
		return nil, err
	}
	if me.Role != music.RoleOps && p.CuratorID != me.ID {
		return nil, music.Errorf(music.EFORBIDDEN, "editorial playlist %s was curated by another account", id)
	}
	return p, nil
}

// writeCurated answers a curator's change to the editorial playlist of
// the path: the curator checked, If-Match and the body read into in, then
// change applied; the answer is the change, with the new version's ETag.
func (a *socialAPI) writeCurated(w http.ResponseWriter, r *http.Request, me *music.User, in any,
	change func(p *music.Playlist, ifVersion int64) (*music.PlaylistChange, error)) error {
	p, err := a.curated(r, me)
	if err != nil {
		return err
	}
	v, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := decodeJSON(w, r, in); err != nil {
		return err
	}
	c, err := change(p, v)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", versionETag(c.Version))
	writeJSON(w, http.StatusOK, newChangeJSON(c))
	return nil
}

// editEditorial adds tracks ({track_ids}, checked as at creation, at
// the end or at position | after) or removes entries ({entry_ids}).
func (a *socialAPI) editEditorial(w http.ResponseWriter, r *http.Request, me *music.User, kind string) error {
	var in placeJSON
	return a.writeCurated(w, r, me, &in, func(p *music.Playlist, v int64) (*music.PlaylistChange, error) {
		if kind == music.EditAdd {
			if len(in.TrackIDs) == 0 || len(in.TrackIDs) > maxTracksPerAdd {
				return nil, music.Errorf(music.EINVALID, "track_ids: want 1 to %d", maxTracksPerAdd)
			}
			if err := a.checkCuratedTracks(r.Context(), me, in.TrackIDs); err != nil {
				return nil, err
			}
		}
		return a.Playlists.EditPlaylist(r.Context(), p.ID, music.EditorialOwnerID, v, in.edit(kind))
	})
}

// editorialDetails is the body of PATCH /editorial/playlists/{id}; an
// absent field is left as it is.
type editorialDetails struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	CoverURL    *string `json:"cover_url"`
}

// updateEditorial renames, re-describes or re-covers an editorial
// playlist. It stays public: that is what makes it editorial.
func (a *socialAPI) updateEditorial(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in editorialDetails
	return a.writeCurated(w, r, me, &in, func(p *music.Playlist, v int64) (*music.PlaylistChange, error) {
		if in.Name == nil && in.Description == nil && in.CoverURL == nil {
			return nil, music.Errorf(music.EINVALID, "body: give at least one of name, description and cover_url")
		}
		return a.Playlists.UpdatePlaylist(r.Context(), p.ID, music.EditorialOwnerID, v,
			music.PlaylistUpdate{Name: in.Name, Description: in.Description, CoverURL: in.CoverURL})
	})
}

func (a *socialAPI) addEditorialTracks(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.editEditorial(w, r, me, music.EditAdd)
}

func (a *socialAPI) removeEditorialTracks(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.editEditorial(w, r, me, music.EditRemove)
}

func (a *socialAPI) deleteEditorial(w http.ResponseWriter, r *http.Request, me *music.User) error {
	p, err := a.curated(r, me)
	if err != nil {
		return err
	}
	if _, err := a.Playlists.DeletePlaylist(r.Context(), p.ID, music.EditorialOwnerID, 0); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *socialAPI) featured(w http.ResponseWriter, r *http.Request, _ *music.User) error {
	offset, limit, err := paging(r)
	if err != nil {
		return err
	}
	ps, total, err := a.Editorial.FeaturedPlaylists(r.Context(), offset, limit)
	if err != nil {
		return err
	}
	out := pageJSON[playlistJSON]{Items: make([]playlistJSON, 0, len(ps)), Total: total, Offset: offset, Limit: limit}
	for i := range ps {
		out.Items = append(out.Items, newPlaylistJSON(&ps[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "Featured", "playlists": out})
	return nil
}
