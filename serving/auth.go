package serving

import (
	"context"
	"net/http"
	"strings"

	music "github.com/openmusic/music"
)

// userKey is the context key under which Authenticate stores the caller.
type userKey struct{}

// Authenticate wraps h so that it runs only for requests carrying a valid
// bearer token ("Authorization: Bearer mt_…"). The token's user is put in
// the request context (see UserFrom). A missing or unknown token is 401
// with the standard error body; a store failure keeps its own code.
func Authenticate(users music.UserStore, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			// Tell clients which scheme to use, as RFC 6750 asks.
			w.Header().Set("WWW-Authenticate", `Bearer realm="music"`)
			writeError(w, music.Errorf(music.EUNAUTHORIZED, "missing bearer token in the Authorization header"))
			return
		}
		u, err := users.UserByToken(r.Context(), token)
		if err != nil {
			if music.ErrorCode(err) == music.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="music", error="invalid_token"`)
			}
			writeError(w, err)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// UserFrom returns the authenticated caller that Authenticate stored in
// ctx, or nil outside an authenticated handler.
func UserFrom(ctx context.Context) *music.User {
	u, _ := ctx.Value(userKey{}).(*music.User)
	return u
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// header; the scheme name is case-insensitive (RFC 7235).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
