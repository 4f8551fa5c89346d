package serving

import (
	"net/http"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// HandleSearch routes the catalog search API to idx:
//
//	GET /api/v1/search?q=&type=track,artist,album&genre=&limit=&offset=
//	GET /api/v1/search/suggest?q=
//
// Parameters are validated by search.ParseParams; user text is never
// interpreted as query syntax.
func (s *Server) HandleSearch(idx music.SearchIndex) {
	s.Handle("GET /api/v1/search", s.RateLimited(LimitAPI, nil, s.sheddable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := search.ParseParams(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		res, err := idx.Search(r.Context(), q)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}))))
	s.Handle("GET /api/v1/search/suggest", s.RateLimited(LimitAPI, nil, s.sheddable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := search.ParseSuggestParams(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		hits, err := idx.Suggest(r.Context(), q)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"suggestions": hits})
	}))))
}
