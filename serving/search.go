package serving

import (
	"context"
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
// interpreted as query syntax. With s.Licences set, only releases with a
// deal in force in the caller's territory are listed: a bearer token's
// account country (ops may send X-Territory), else s.DefaultTerritory.
func (s *Server) HandleSearch(idx music.SearchIndex) {
	s.Handle("GET /api/v1/search", s.RateLimited(LimitAPI, nil, s.sheddable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := search.ParseParams(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		v, err := s.searchVisibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		res, err := idx.Search(r.Context(), q)
		if err == nil && s.Licences != nil {
			err = search.FilterVisible(r.Context(), s.Licences, res, v)
		}
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
		v, err := s.searchVisibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		hits, err := idx.Suggest(r.Context(), q)
		if err == nil && s.Licences != nil {
			hits, err = search.FilterVisibleHits(r.Context(), s.Licences, hits, v)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"suggestions": hits})
	}))))
}

// searchVisibility is the listener view of a search: the bearer token's
// or session cookie's account (a bad token is 401), or anonymous in
// s.DefaultTerritory.
func (s *Server) searchVisibility(r *http.Request) (music.Visibility, error) {
	if session, ok := s.sessionCookie(r); ok {
		u, err := s.cookieUser(r, session)
		if err != nil {
			return music.Visibility{}, err
		}
		return s.visibility(r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	}
	if r.Header.Get("Authorization") == "" || s.Users == nil {
		if s.DefaultTerritory == "" && s.Licences != nil {
			return music.Visibility{}, music.Errorf(music.EUNAVAILABLE, "search: the server has no default territory for anonymous callers")
		}
		return music.Visibility{Territory: s.DefaultTerritory, At: s.Now()}, nil
	}
	token, ok := bearerToken(r)
	if !ok {
		return music.Visibility{}, music.Errorf(music.EUNAUTHORIZED, "Authorization header is not a bearer token")
	}
	u, err := cachedUsers{s.Users, s}.UserByToken(r.Context(), token)
	if err != nil {
		return music.Visibility{}, err
	}
	return s.visibility(r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
}
