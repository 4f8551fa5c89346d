package serving

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// HandleSearch routes the catalog search API to idx:
//
//	GET /api/v1/search?q=&type=track,artist,album,playlist&genre=&limit=&offset=
//	GET /api/v1/search/suggest?q=
//
// Parameters are validated by search.ParseParams; user text is never
// interpreted as query syntax. With s.Licences set, only releases with a
// deal in force in the caller's territory are listed: a bearer token's
// account country (ops may send X-Territory), else s.DefaultTerritory.
func (s *Server) HandleSearch(idx music.SearchIndex) {
	s.Handle("GET /api/v1/search", s.RateLimited(LimitAPI, nil, s.sheddable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params, playlists, catalogToo, err := splitPlaylistType(r.URL.Query())
		var q music.SearchQuery
		if err == nil {
			q, err = search.ParseParams(params)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		v, err := s.searchVisibility(r)
		if err != nil {
			writeError(w, err)
			return
		}
		out := searchJSON{SearchResults: &music.SearchResults{}}
		if catalogToo {
			out.SearchResults, err = idx.Search(r.Context(), q)
			if err == nil && s.Licences != nil {
				err = search.FilterVisible(r.Context(), s.Licences, out.SearchResults, v)
			}
		}
		if err == nil && playlists {
			out.Playlists, err = s.searchPlaylists(r.Context(), q)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
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

// searchJSON is a search answer: the catalog groups and, when asked for,
// public playlists.
type searchJSON struct {
	*music.SearchResults
	Playlists *pageJSON[playlistJSON] `json:"playlists,omitempty"`
}

// splitPlaylistType takes "playlist" out of ?type=, which the search
// index does not know: playlists live in the catalog DB. It reports
// whether playlists were asked for and whether anything else was (no
// type at all means the catalog groups).
func splitPlaylistType(q url.Values) (rest url.Values, playlists, catalog bool, err error) {
	raw := q.Get("type")
	if raw == "" {
		return q, false, true, nil
	}
	var kept []string
	for _, t := range strings.Split(raw, ",") {
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "playlist":
			playlists = true
		case "":
			return nil, false, false, music.Errorf(music.EINVALID, "type: an empty item in %.64q", raw)
		default:
			kept = append(kept, t)
		}
	}
	if !playlists {
		return q, false, true, nil
	}
	rest = url.Values{}
	for k, v := range q {
		rest[k] = v
	}
	rest.Set("type", strings.Join(kept, ","))
	if len(kept) == 0 {
		rest.Del("type")
	}
	return rest, true, len(kept) > 0, nil
}

// searchPlaylists finds public playlists by the query's words.
func (s *Server) searchPlaylists(ctx context.Context, q music.SearchQuery) (*pageJSON[playlistJSON], error) {
	if s.playlistSearch == nil {
		return nil, music.Errorf(music.EINVALID, "type: playlist search is not served here")
	}
	ps, total, err := s.playlistSearch(ctx, search.QueryWords(q.Text), q.Offset, q.Limit)
	if err != nil {
		return nil, err
	}
	out := &pageJSON[playlistJSON]{Items: make([]playlistJSON, 0, len(ps)), Total: total, Offset: q.Offset, Limit: q.Limit}
	for i := range ps {
		out.Items = append(out.Items, newPlaylistJSON(&ps[i]))
	}
	return out, nil
}
