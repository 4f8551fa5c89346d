package serving

import (
	"net/http"

	music "github.com/openmusic/music"
)

// newReleasesJSON is the answer of GET /api/v1/browse/new-releases, in
// the shape of Spotify's: one page of albums under "albums".
type newReleasesJSON struct {
	Albums pageJSON[albumSummaryJSON] `json:"albums"`
}

// handleNewReleases serves GET /api/v1/browse/new-releases?offset=&limit=
// (any role, like the album route): the albums the caller may see,
// newest first by release date, then by ID, each as an artist page lists
// it. Only releases with a deal in force in the caller's territory at
// s.Now() are listed (see visibility); a bad offset or limit is 400.
func (s *Server) handleNewReleases(cat music.Catalog) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		v, err := s.visibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		rels, total, err := cat.NewReleases(r.Context(), v, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		out := newReleasesJSON{Albums: pageJSON[albumSummaryJSON]{
			Items: make([]albumSummaryJSON, 0, len(rels)), Total: total, Offset: offset, Limit: limit}}
		for i := range rels {
			out.Albums.Items = append(out.Albums.Items, newAlbumSummary(&rels[i]))
		}
		writeJSON(w, http.StatusOK, out)
	}
}
