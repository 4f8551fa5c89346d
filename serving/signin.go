package serving

import (
	"net/http"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/password"
)

// AuthOptions configure the sign-in routes.
type AuthOptions struct {
	// SessionTTL is how long a sign-in lasts (0: DefaultSessionTTL).
	SessionTTL time.Duration
	// OpenSignup lets anyone create a listener account.
	OpenSignup bool
}

// DefaultSessionTTL is how long a sign-in lasts unless configured.
const DefaultSessionTTL = 7 * 24 * time.Hour

// credentialsJSON is the body of the login and signup routes.
type credentialsJSON struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Country  string `json:"country,omitempty"` // signup only; default: the server's default territory
}

// sessionJSON answers login, signup and GET /api/v1/auth/session.
type sessionJSON struct {
	User      userJSON  `json:"user"`
	CSRFToken string    `json:"csrf_token,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

type userJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Country string `json:"country"`
}

func newUserJSON(u *music.User) userJSON {
	return userJSON{ID: u.ID, Name: u.Name, Role: u.Role, Country: u.Country}
}

// errSignIn is the one answer to a failed sign-in, whether the name
// exists or not.
var errSignIn = music.Errorf(music.EUNAUTHORIZED, "wrong name or password")

// HandleAuth routes the web player's sign-in and turns on the session
// cookie as a way to authenticate every API route (authed):
//
//	POST /api/v1/auth/login   {"name","password"}  → cookie, user and CSRF token
//	POST /api/v1/auth/signup  {"name","password","country"}  (AuthOptions.OpenSignup)
//	GET  /api/v1/auth/session  the signed-in user and the CSRF token
//	POST /api/v1/auth/logout   ends the session (X-CSRF-Token)
//
// Login and signup spend from the LimitSignIn class per client address,
// and are refused from another origin.
func (s *Server) HandleAuth(users music.UserStore, accounts music.Accounts, opt AuthOptions) {
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultSessionTTL
	}
	s.accounts, s.auth = accounts, opt
	byAddress := func(r *http.Request) string { return "ip:" + s.ClientIP(r) }
	s.Handle("POST /api/v1/auth/login", s.RateLimited(LimitSignIn, byAddress, http.HandlerFunc(s.handleLogin)))
	s.Handle("POST /api/v1/auth/signup", s.RateLimited(LimitSignIn, byAddress, http.HandlerFunc(s.handleSignup)))
	s.Handle("GET /api/v1/auth/session", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		writeSession(w, sessionFrom(r.Context()), UserFrom(r.Context()))
	}))
	s.Handle("POST /api/v1/auth/logout", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		token := sessionFrom(r.Context())
		if token == "" {
			writeError(w, music.Errorf(music.EINVALID, "logout ends a session cookie; a bearer token is revoked with `musicctl users revoke`"))
			return
		}
		if err := accounts.EndSession(r.Context(), token); err != nil && music.ErrorCode(err) != music.ENOTFOUND {
			writeError(w, err)
			return
		}
		clearSessionCookie(w, r)
		w.WriteHeader(http.StatusNoContent)
	}))
}

// readCredentials reads and checks a login or signup body.
func readCredentials(w http.ResponseWriter, r *http.Request) (credentialsJSON, error) {
	var c credentialsJSON
	if !sameOrigin(r) {
		return c, music.Errorf(music.EFORBIDDEN, "sign-in from another origin (%s) is refused", r.Header.Get("Origin"))
	}
	if err := decodeJSON(w, r, &c); err != nil {
		return c, err
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return c, music.Errorf(music.EINVALID, "field name: required")
	}
	if c.Password == "" {
		return c, music.Errorf(music.EINVALID, "field password: required")
	}
	if len(c.Password) > password.MaxLen {
		return c, music.Errorf(music.EINVALID, "field password: over %d bytes", password.MaxLen)
	}
	return c, nil
}

// handleLogin checks a name and password. An unknown name, an account
// without a password and a wrong password cost one argon2id hash each
// and get the same answer.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	c, err := readCredentials(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	if c.Country != "" {
		writeError(w, music.Errorf(music.EINVALID, "field country: only for signup"))
		return
	}
	u, hash, err := s.accounts.PasswordHash(r.Context(), c.Name)
	var ok bool
	switch {
	case music.ErrorCode(err) == music.ENOTFOUND || (err == nil && hash == ""):
		ok, err = password.VerifyNobody(r.Context(), c.Password)
	case err == nil:
		ok, err = password.Verify(r.Context(), c.Password, hash)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if !ok {
		writeError(w, errSignIn)
		return
	}
	s.startSession(w, r, u, http.StatusOK)
}

// handleSignup creates a listener account with a password and signs it
// in; without AuthOptions.OpenSignup it is 403.
func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	if !s.auth.OpenSignup {
		writeError(w, music.Errorf(music.EFORBIDDEN, "sign-up is closed on this server (musicctl serve --open-signup opens it)"))
		return
	}
	c, err := readCredentials(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	if err := password.Check(c.Password); err != nil {
		writeError(w, music.Errorf(music.EINVALID, "field %v", err))
		return
	}
	if c.Country == "" {
		c.Country = s.DefaultTerritory
	}
	hash, err := password.Hash(r.Context(), c.Password)
	if err != nil {
		writeError(w, err)
		return
	}
	u, err := s.accounts.CreateAccount(r.Context(), c.Name, c.Country, hash)
	if err != nil {
		writeError(w, err)
		return
	}
	s.startSession(w, r, u, http.StatusCreated)
}

// startSession creates a session for u, sets its cookie and answers
// with the user and the CSRF token.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *music.User, status int) {
	token, sess, err := s.accounts.CreateSession(r.Context(), u.ID, s.auth.SessionTTL)
	if err != nil {
		writeError(w, err)
		return
	}
	setSessionCookie(w, r, token, int(s.auth.SessionTTL.Seconds()))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, sessionJSON{User: newUserJSON(u), CSRFToken: sessionCSRF(token), ExpiresAt: sess.ExpiresAt})
}

// writeSession answers GET /api/v1/auth/session: the caller, and for a
// cookie session its CSRF token.
func writeSession(w http.ResponseWriter, token string, u *music.User) {
	out := sessionJSON{User: newUserJSON(u)}
	if token != "" {
		out.CSRFToken = sessionCSRF(token)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
