package serving

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// authed is the chain of every API route: bad-token flood guard,
// bearer-token (or, with HandleAuth, session-cookie) authentication, then the per-user rate limit, then the
// role check (roles nil: any role), then Idempotency-Key handling of
// POSTs.
func (s *Server) authed(users music.UserStore, roles []string, h http.HandlerFunc) http.Handler {
	inner := s.idempotent(h)
	return s.guardTokens(s.authenticate(users, s.RateLimited(LimitAPI, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := UserFrom(r.Context()); roles != nil && (u == nil || !slices.Contains(roles, u.Role)) {
			writeError(w, music.Errorf(music.EFORBIDDEN, "this route is for %s accounts", strings.Join(roles, "/")))
			return
		}
		inner.ServeHTTP(w, r)
	}))))
}

// listeners may use the playlist and library routes.
var listeners = []string{music.RoleListener}

// Paging defaults and bounds of list routes.
const (
	defaultLimit = 50
	maxLimit     = 100
)

// paging reads ?offset= and ?limit=; a bad value is EINVALID naming it.
func paging(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	offset, limit = 0, defaultLimit
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, music.Errorf(music.EINVALID, "offset %q: want an integer >= 0", v)
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			return 0, 0, music.Errorf(music.EINVALID, "limit %q: want an integer from 1 to %d", v, maxLimit)
		}
	}
	return offset, limit, nil
}

// pageJSON wraps one page of a list.
type pageJSON[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// cachedUsers answers UserByToken from the server's short-lived cache.
type cachedUsers struct {
	music.UserStore
	s *Server
}

func (c cachedUsers) UserByToken(ctx context.Context, token string) (*music.User, error) {
	return c.s.users.get(music.TokenHash(token), c.s.Now(), func() (*music.User, error) {
		return c.UserStore.UserByToken(ctx, token)
	})
}
