package serving

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"

	music "github.com/openmusic/music"
)

// SessionCookie is the web player's session cookie: HttpOnly,
// SameSite=Strict, Secure when the request came over TLS.
const SessionCookie = "music_session"

// CSRFHeader carries the session's CSRF token (sessionCSRF) on
// every cookie-authenticated write.
const CSRFHeader = "X-CSRF-Token"

// sessionCSRF is the CSRF token of the session whose token is given: the
// browser cannot derive it (the session cookie is HttpOnly), so a write
// that carries it in X-CSRF-Token comes from the app itself. Derived,
// never stored.
func sessionCSRF(sessionToken string) string {
	sum := sha256.Sum256([]byte("csrf\x00" + sessionToken))
	return hex.EncodeToString(sum[:])
}

// sessionKey is the context key of a cookie-authenticated request's
// session token.
type sessionKey struct{}

// sessionFrom returns the session token a request authenticated with,
// or "" (a bearer token, or none).
func sessionFrom(ctx context.Context) string {
	tok, _ := ctx.Value(sessionKey{}).(string)
	return tok
}

// sessionCookie returns the request's session cookie when the server
// takes sessions (HandleAuth) and no Authorization header is present: a
// bearer token always wins, so API clients behave as before.
func (s *Server) sessionCookie(r *http.Request) (string, bool) {
	if s.accounts == nil || r.Header.Get("Authorization") != "" {
		return "", false
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}

// authenticate is Authenticate with the session cookie as a second way
// in (see cookieUser for its checks).
func (s *Server) authenticate(users music.UserStore, h http.Handler) http.Handler {
	bearer := Authenticate(cachedUsers{users, s}, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := s.sessionCookie(r)
		if !ok {
			bearer.ServeHTTP(w, r)
			return
		}
		u, err := s.cookieUser(r, token)
		if err != nil {
			if music.ErrorCode(err) == music.EUNAUTHORIZED {
				clearSessionCookie(w, r)
			}
			writeError(w, err)
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), userKey{}, u), sessionKey{}, token)
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// cookieUser checks a cookie-authenticated request: it must come from
// this server's own pages (sameOrigin: else EFORBIDDEN), a write must
// carry the session's CSRF token (else EFORBIDDEN), and the session must
// be live (else EUNAUTHORIZED).
func (s *Server) cookieUser(r *http.Request, token string) (*music.User, error) {
	if !sameOrigin(r) {
		return nil, music.Errorf(music.EFORBIDDEN, "a request with the session cookie from another origin (%s) is refused", r.Header.Get("Origin"))
	}
	if !safeMethod(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sessionCSRF(token))) != 1 {
			return nil, music.Errorf(music.EFORBIDDEN, "header %s: missing or not this session's (GET /api/v1/auth/session gives it)", CSRFHeader)
		}
	}
	u, _, err := s.accounts.UserBySession(r.Context(), token)
	return u, err
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a browser says r comes from a page of this
// server: Sec-Fetch-Site, when sent, must be same-origin (or none: typed
// into the address bar); an Origin header, when sent, must name this
// host. A request with neither (an old browser, curl) passes: the cookie
// is SameSite=Strict and writes need the CSRF token anyway.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == r.Host && (u.Scheme == "http" || u.Scheme == "https")
}

// setSessionCookie gives the browser its session.
func setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// clearSessionCookie tells the browser to drop its session cookie.
func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	setSessionCookie(w, r, "", -1)
}
