package serving

import (
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
// kind is tracks, albums or artists. Saving checks that each item exists
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
