package serving

import (
	"net/http"

	music "github.com/openmusic/music"
)

// HandleSearch routes the catalog search API to idx:
//
//	GET /api/v1/search?q=&type=track,artist,album&genre=&limit=&offset=
//	GET /api/v1/search/suggest?q=
//
// Parameters are validated by music.ParseSearchParams; user text is never
// interpreted as query syntax.
func (s *Server) HandleSearch(idx music.SearchIndex) {
	s.Handle("GET /api/v1/search", s.RateLimited(LimitAPI, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := music.ParseSearchParams(r.URL.Query())
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
	})))
	s.Handle("GET /api/v1/search/suggest", s.RateLimited(LimitAPI, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := music.ParseSuggestParams(r.URL.Query())
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
	})))
}
