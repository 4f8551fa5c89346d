package serving

import (
	"fmt"
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// libraryKinds maps the URL segment to the library kind.
var libraryKinds = map[string]string{
	"tracks":  music.LibraryTrack,
	"albums":  music.LibraryAlbum,
	"artists": music.LibraryArtist,
}

// HandleLibrary routes the caller's library, for listener accounts:
//
//	GET    /api/v1/me/library/{kind}?offset&limit   newest first
//	PUT    /api/v1/me/library/{kind}   {"ids": [...]}   save
//	DELETE /api/v1/me/library/{kind}   {"ids": [...]}   remove
//
// kind is tracks, albums or artists (playlists: HandleSavedPlaylists).
// Saving checks that each item exists
// and is visible to the caller (422 otherwise); removing does not, so
// items that have since gone can be cleared.
func (s *Server) HandleLibrary(store music.LibraryStore, cat music.Catalog, users music.UserStore) {
	kindOf := func(r *http.Request) (string, error) {
		k, ok := libraryKinds[r.PathValue("kind")]
		if !ok {
			return "", music.Errorf(music.ENOTFOUND, "library kind %q: want tracks, albums or artists", r.PathValue("kind"))
		}
		return k, nil
	}
	s.Handle("GET /api/v1/me/library/{kind}", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		kind, err := kindOf(r)
		if err != nil {
			writeError(w, err)
			return
		}
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		items, total, err := store.LibraryItems(r.Context(), UserFrom(r.Context()).ID, kind, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := pageJSON[libraryItemJSON]{Items: make([]libraryItemJSON, 0, len(items)), Total: total, Offset: offset, Limit: limit}
		for _, it := range items {
			out.Items = append(out.Items, libraryItemJSON{ID: it.ID, SavedAt: it.SavedAt})
		}
		writeJSON(w, http.StatusOK, out)
	}))
	for _, method := range []string{"PUT", "DELETE"} {
		s.Handle(method+" /api/v1/me/library/{kind}", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
			kind, err := kindOf(r)
			if err != nil {
				writeError(w, err)
				return
			}
			var in struct {
				IDs []string `json:"ids"`
			}
			if err := decodeJSON(w, r, &in); err != nil {
				writeError(w, err)
				return
			}
			me := UserFrom(r.Context()).ID
			if method == "PUT" {
				if err := s.checkVisible(r, cat, kind, in.IDs); err != nil {
					writeError(w, err)
					return
				}
				err = store.SaveItems(r.Context(), me, kind, in.IDs)
			} else {
				err = store.RemoveItems(r.Context(), me, kind, in.IDs)
			}
			if err != nil {
				writeError(w, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
	}
}

// checkVisible makes sure each item of kind exists for the caller.
func (s *Server) checkVisible(r *http.Request, cat music.Catalog, kind string, ids []string) error {
	if kind == music.LibraryTrack {
		return s.checkTracks(r, cat, "ids", ids)
	}
	v, err := s.visibility(r)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if kind == music.LibraryAlbum {
			_, err = cat.Release(r.Context(), id, v)
		} else {
			_, _, err = cat.Artist(r.Context(), id, v)
		}
		if music.ErrorCode(err) == music.ENOTFOUND {
			return music.Errorf(music.EUNPROCESSABLE, "ids[%d]: no %s %q", i, kind, id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// libraryItemJSON is one saved item.
type libraryItemJSON struct {
	ID      string    `json:"id"`
	SavedAt time.Time `json:"saved_at"`
}

// HandleSavedPlaylists routes the playlists of the caller's library, for
// listener accounts. A saved playlist is a followed one (issue #17), so
// the library lists every playlist followed either way and saving counts
// as a follower:
//
//	GET    /api/v1/me/library/playlists?offset&limit   newest first
//	PUT    /api/v1/me/library/playlists   {"ids": [...]}   save (follow), 1 to 50
//	DELETE /api/v1/me/library/playlists   {"ids": [...]}   remove (unfollow)
//
// Saving needs read access to each playlist: an unknown one is 422, a
// private one the caller may not read 403, and nothing is saved.
func (s *Server) HandleSavedPlaylists(follows music.FollowStore, playlists music.PlaylistStore, users music.UserStore) {
	const path = "/api/v1/me/library/playlists"
	s.Handle("GET "+path, s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		fs, total, err := follows.FollowsNewest(r.Context(), UserFrom(r.Context()).ID, music.FollowPlaylist, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := pageJSON[libraryItemJSON]{Items: make([]libraryItemJSON, 0, len(fs)), Total: total, Offset: offset, Limit: limit}
		for _, f := range fs {
			out.Items = append(out.Items, libraryItemJSON{ID: f.ID, SavedAt: f.FollowedAt})
		}
		writeJSON(w, http.StatusOK, out)
	}))
	for _, method := range []string{"PUT", "DELETE"} {
		s.Handle(method+" "+path, s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
			var in struct {
				IDs []string `json:"ids"`
			}
			if err := decodeJSON(w, r, &in); err != nil {
				writeError(w, err)
				return
			}
			me := UserFrom(r.Context()).ID
			var err error
			if method == "DELETE" {
				err = follows.Unfollow(r.Context(), me, music.FollowPlaylist, in.IDs)
			} else if err = checkReadable(r, playlists, in.IDs); err == nil {
				err = follows.Follow(r.Context(), me, music.FollowPlaylist, in.IDs)
			}
			if err != nil {
				writeError(w, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
	}
}

// checkReadable makes sure the caller may read each playlist of a body's
// ids; a bad count is left to the store, which names it.
func checkReadable(r *http.Request, playlists music.PlaylistStore, ids []string) error {
	if len(ids) > music.MaxFollowIDs {
		return nil
	}
	for i, id := range ids {
		_, err := playlists.Playlist(r.Context(), id, UserFrom(r.Context()).ID)
		switch music.ErrorCode(err) {
		case "":
		case music.ENOTFOUND:
			return music.Errorf(music.EUNPROCESSABLE, "ids[%d]: no playlist %q", i, id)
		case music.EFORBIDDEN:
			return music.Errorf(music.EFORBIDDEN, "ids[%d]: playlist %q is private", i, id)
		default:
			return fmt.Errorf("ids[%d]: %w", i, err)
		}
	}
	return nil
}
