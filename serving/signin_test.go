package serving

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/password"
	"github.com/openmusic/music/sqlstore"
)

// setPassword gives an account of st a password.
func setPassword(t testing.TB, st *sqlstore.Store, name, pw string) {
	t.Helper()
	hash, err := password.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPasswordHash(context.Background(), name, hash); err != nil {
		t.Fatal(err)
	}
}

// authEnv is newAPIEnv with the sign-in routes and passwords for alice
// (a listener) and label.
func authEnv(t testing.TB, opt AuthOptions) *apiEnv {
	t.Helper()
	e := newAPIEnv(t)
	e.s.DefaultTerritory = "GB"
	e.s.HandleAuth(e.st, e.st, opt)
	e.s.HandleReviews(e.st, e.st, e.st, e.st, nil)
	if _, _, err := e.st.CreateUser(context.Background(), "ops", music.RoleOps, "GB"); err != nil {
		t.Fatal(err)
	}
	setPassword(t, e.st, "ops", "ops password")
	setPassword(t, e.st, "alice", "correct horse")
	setPassword(t, e.st, "label", "label's password")
	return e
}

// browser sends a request the way the web player does: with the session
// cookie (if any), and the given extra headers.
func (e *apiEnv) browser(method, path, cookie, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "player.example"
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: cookie})
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, req)
	return rec
}

// login signs in and returns the session cookie and the CSRF token.
func (e *apiEnv) login(name, pw string) (cookie, csrf string) {
	e.t.Helper()
	rec := e.browser("POST", "/api/v1/auth/login", "", `{"name":"`+name+`","password":"`+pw+`"}`, "Origin", "http://player.example")
	if rec.Code != 200 {
		e.t.Fatalf("login %s: %d %s", name, rec.Code, rec.Body)
	}
	var out sessionJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		e.t.Fatal(err)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == SessionCookie {
			return c.Value, out.CSRFToken
		}
	}
	e.t.Fatalf("login %s set no %s cookie: %v", name, SessionCookie, rec.Header())
	return "", ""
}

func TestLoginSetsAStrictHttpOnlyCookie(t *testing.T) {
	e := authEnv(t, AuthOptions{SessionTTL: time.Hour})
	for _, tls := range []bool{false, true} {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"name":"alice","password":"correct horse"}`))
		if tls {
			req.TLS = &tlsState
		}
		rec := httptest.NewRecorder()
		e.s.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
		cs := rec.Result().Cookies()
		if len(cs) != 1 {
			t.Fatalf("cookies %v", cs)
		}
		c := cs[0]
		if c.Name != SessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tls || c.Path != "/" || c.MaxAge != 3600 {
			t.Errorf("TLS %v: cookie %+v; want HttpOnly, SameSite=Strict, Secure only on TLS, Path=/, Max-Age=3600", tls, c)
		}
		var out sessionJSON
		json.Unmarshal(rec.Body.Bytes(), &out)
		if out.User.Name != "alice" || out.CSRFToken != sessionCSRF(c.Value) || out.CSRFToken == c.Value {
			t.Errorf("login answered %+v", out)
		}
		if strings.Contains(rec.Body.String(), c.Value) {
			t.Error("the session token is in the answer body, where scripts can read it")
		}
		// Only the token's SHA-256 is stored.
		var n int
		if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?", music.TokenHash(c.Value)).Scan(&n); err != nil || n != 1 {
			t.Errorf("sessions with the token's hash: %d, %v", n, err)
		}
		if err := e.st.DB().QueryRow("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ? OR user_id = ?", c.Value, c.Value).Scan(&n); err != nil || n != 0 {
			t.Errorf("the raw token is stored: %d, %v", n, err)
		}
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	wrong := e.browser("POST", "/api/v1/auth/login", "", `{"name":"alice","password":"wrong password"}`)
	nobody := e.browser("POST", "/api/v1/auth/login", "", `{"name":"nobody","password":"wrong password"}`)
	// bob exists but has only a bearer token, no password.
	noPassword := e.browser("POST", "/api/v1/auth/login", "", `{"name":"bob","password":"wrong password"}`)
	for what, rec := range map[string]*httptest.ResponseRecorder{"unknown name": nobody, "no password": noPassword} {
		if rec.Code != 401 || rec.Body.String() != wrong.Body.String() || wrong.Code != 401 {
			t.Errorf("%s: %d %s; wrong password: %d %s", what, rec.Code, rec.Body, wrong.Code, wrong.Body)
		}
		if len(rec.Result().Cookies()) != 0 {
			t.Errorf("%s set a cookie", what)
		}
	}
	for body, field := range map[string]string{`{"password":"x"}`: "name", `{"name":"alice"}`: "password",
		`{"name":"alice","password":"correct horse","country":"DE"}`: "country", `{"name":"alice","password":"correct horse","admin":true}`: "admin",
		`{"name":"alice","password":"` + strings.Repeat("x", 1025) + `"}`: "password"} {
		rec := e.browser("POST", "/api/v1/auth/login", "", body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), field) {
			t.Errorf("login %.60s: %d %s; want 400 naming %s", body, rec.Code, rec.Body, field)
		}
	}
}

func TestLoginRateLimitedPerAddress(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	e.s.SetRateLimiter(LimitSignIn, NewMemoryLimiter(music.Rate{PerSecond: 0.001, Burst: 3}))
	send := func(addr, pw string) int {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"name":"alice","password":"`+pw+`"}`))
		req.RemoteAddr = addr + ":1234"
		rec := httptest.NewRecorder()
		e.s.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 3 {
		if code := send("192.0.2.1", "guess"); code != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, code)
		}
	}
	if code := send("192.0.2.1", "correct horse"); code != 429 {
		t.Errorf("4th attempt from one address, right password: %d, want 429", code)
	}
	if code := send("192.0.2.2", "correct horse"); code != 200 {
		t.Errorf("another address: %d, want 200", code)
	}
}

func TestSignupOnlyWhenOpen(t *testing.T) {
	closed := authEnv(t, AuthOptions{})
	rec := closed.browser("POST", "/api/v1/auth/signup", "", `{"name":"carol","password":"carol's password"}`)
	if rec.Code != 403 {
		t.Errorf("closed signup: %d %s, want 403", rec.Code, rec.Body)
	}
	if _, _, err := closed.st.PasswordHash(context.Background(), "carol"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("closed signup created carol: %v", err)
	}

	e := authEnv(t, AuthOptions{OpenSignup: true})
	rec = e.browser("POST", "/api/v1/auth/signup", "", `{"name":"carol","password":"carol's password"}`)
	if rec.Code != 201 {
		t.Fatalf("open signup: %d %s", rec.Code, rec.Body)
	}
	u, hash, err := e.st.PasswordHash(context.Background(), "carol")
	if err != nil || u.Role != music.RoleListener || u.Country != "GB" || !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("carol = %+v, %q, %v; want a GB listener with an argon2id hash", u, hash, err)
	}
	for body, want := range map[string]int{
		`{"name":"carol","password":"another password"}`:           409,
		`{"name":"alice","password":"another password"}`:           409,
		`{"name":"dave","password":"short"}`:                       400,
		`{"name":"dave","password":"long enough","country":"XYZ"}`: 400,
		`{"name":"dave","password":"long enough","role":"ops"}`:    400,
	} {
		if rec := e.browser("POST", "/api/v1/auth/signup", "", body); rec.Code != want {
			t.Errorf("signup %s: %d %s, want %d", body, rec.Code, rec.Body, want)
		}
	}
	e.login("carol", "carol's password")
}

// TestSessionCookieAuthorises: the cookie opens the API routes a bearer
// token opens, with the same role checks; it is refused from another
// origin, and writes need the CSRF token.
func TestSessionCookieAuthorises(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	cookie, csrf := e.login("alice", "correct horse")
	labelCookie, labelCSRF := e.login("label", "label's password")
	opsCookie, _ := e.login("ops", "ops password")
	create := `{"name":"mix"}`
	tests := []struct {
		name, method, path, cookie, body string
		hdr                              []string
		want                             int
	}{
		{"listener reads", "GET", "/api/v1/me/playlists", cookie, "", nil, 200},
		{"listener reads the session", "GET", "/api/v1/auth/session", cookie, "", nil, 200},
		{"label reads the session", "GET", "/api/v1/auth/session", labelCookie, "", nil, 200},
		{"anonymous session", "GET", "/api/v1/auth/session", "", "", nil, 401},
		{"bad cookie", "GET", "/api/v1/auth/session", cookie + "x", "", nil, 401},
		{"bearer token in the cookie", "GET", "/api/v1/auth/session", e.alice, "", nil, 401},
		{"same origin", "GET", "/api/v1/me/playlists", cookie, "", []string{"Origin", "http://player.example", "Sec-Fetch-Site", "same-origin"}, 200},
		{"foreign origin", "GET", "/api/v1/me/playlists", cookie, "", []string{"Origin", "https://evil.example"}, 403},
		{"foreign origin, same host name", "GET", "/api/v1/me/playlists", cookie, "", []string{"Origin", "http://player.example:8443"}, 403},
		{"cross-site fetch", "GET", "/api/v1/me/playlists", cookie, "", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same-site fetch", "GET", "/api/v1/me/playlists", cookie, "", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"null origin", "GET", "/api/v1/me/playlists", cookie, "", []string{"Origin", "null"}, 403},
		{"write without CSRF", "POST", "/api/v1/playlists", cookie, create, nil, 403},
		{"write with another session's CSRF", "POST", "/api/v1/playlists", cookie, create, []string{CSRFHeader, labelCSRF}, 403},
		{"write with CSRF", "POST", "/api/v1/playlists", cookie, create, []string{CSRFHeader, csrf}, 201},
		{"write with CSRF from a foreign origin", "POST", "/api/v1/playlists", cookie, create, []string{CSRFHeader, csrf, "Origin", "https://evil.example"}, 403},
		{"label on a listener route", "POST", "/api/v1/playlists", labelCookie, create, []string{CSRFHeader, labelCSRF}, 403},
		{"label on an ops route", "GET", "/api/v1/admin/reviews", labelCookie, "", nil, 403},
		{"listener on an ops route", "GET", "/api/v1/admin/reviews", cookie, "", nil, 403},
		{"ops on an ops route", "GET", "/api/v1/admin/reviews", opsCookie, "", nil, 200},
		{"ops reads the session", "GET", "/api/v1/auth/session", opsCookie, "", nil, 200},
		{"login from a foreign origin", "POST", "/api/v1/auth/login", "", `{"name":"alice","password":"correct horse"}`, []string{"Origin", "https://evil.example"}, 403},
		{"signup from a foreign origin", "POST", "/api/v1/auth/signup", "", `{"name":"eve","password":"eve's password"}`, []string{"Origin", "https://evil.example"}, 403},
		{"anonymous logout", "POST", "/api/v1/auth/logout", "", "", nil, 401},
		{"logout without CSRF", "POST", "/api/v1/auth/logout", cookie, "", nil, 403},
	}
	for _, tc := range tests {
		rec := e.browser(tc.method, tc.path, tc.cookie, tc.body, tc.hdr...)
		if rec.Code != tc.want {
			t.Errorf("%s: %s %s = %d %s, want %d", tc.name, tc.method, tc.path, rec.Code, rec.Body, tc.want)
		}
	}
	// Bearer tokens work as before, whatever the Origin (API clients, not
	// browsers holding ambient credentials); a bearer token wins over a
	// cookie.
	for _, tc := range []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/api/v1/auth/session", e.alice, 200},
		{"POST", "/api/v1/auth/logout", e.alice, 400},
		{"GET", "/api/v1/auth/session", e.lbl, 200},
		{"POST", "/api/v1/playlists", e.alice, 201},
	} {
		body := ""
		if tc.method == "POST" && tc.path == "/api/v1/playlists" {
			body = create
		}
		code, _, b := e.do(tc.method, tc.path, tc.token, body, "Origin", "https://evil.example", "Cookie", SessionCookie+"=bogus")
		if code != tc.want {
			t.Errorf("bearer %s %s: %d %s, want %d", tc.method, tc.path, code, b, tc.want)
		}
	}
	var out sessionJSON
	json.Unmarshal(e.browser("GET", "/api/v1/auth/session", cookie, "").Body.Bytes(), &out)
	if out.User.Name != "alice" || out.CSRFToken != csrf {
		t.Errorf("session = %+v; want alice and the login's CSRF token", out)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	cookie, csrf := e.login("alice", "correct horse")
	other, _ := e.login("alice", "correct horse")
	rec := e.browser("POST", "/api/v1/auth/logout", cookie, "", CSRFHeader, csrf)
	if rec.Code != 204 {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 || cs[0].Value != "" {
		t.Errorf("logout cookies %v; want the session cookie cleared", cs)
	}
	if rec := e.browser("GET", "/api/v1/auth/session", cookie, ""); rec.Code != 401 {
		t.Errorf("session after logout: %d", rec.Code)
	}
	if rec := e.browser("GET", "/api/v1/auth/session", other, ""); rec.Code != 200 {
		t.Errorf("the other session after logout: %d", rec.Code)
	}
}

func TestExpiredSessionIs401(t *testing.T) {
	e := authEnv(t, AuthOptions{SessionTTL: time.Minute})
	now := time.Now()
	e.st.Now = func() time.Time { return now }
	cookie, _ := e.login("alice", "correct horse")
	now = now.Add(time.Minute)
	rec := e.browser("GET", "/api/v1/me/playlists", cookie, "")
	if rec.Code != 401 {
		t.Errorf("expired session: %d %s, want 401", rec.Code, rec.Body)
	}
	if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].MaxAge >= 0 {
		t.Errorf("an expired session's cookie is not cleared: %v", cs)
	}
}

// TestSearchUsesTheSessionsTerritory: search with the cookie sees what
// the account's country may see, like a bearer token.
func TestSearchUsesTheSessionsTerritory(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	cookie, _ := e.login("alice", "correct horse")
	req := httptest.NewRequest("GET", "/api/v1/search?q=x", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: cookie})
	v, err := e.s.searchVisibility(req)
	if err != nil || v.Territory != "GB" {
		t.Errorf("visibility = %+v, %v; want alice's GB", v, err)
	}
	req.Header.Set("Origin", "https://evil.example")
	if _, err := e.s.searchVisibility(req); music.ErrorCode(err) != music.EFORBIDDEN {
		t.Errorf("cross-origin search with the cookie: %v, want forbidden", err)
	}
}

func TestEveryResponseIsNosniff(t *testing.T) {
	e := authEnv(t, AuthOptions{})
	for _, path := range []string{"/healthz", "/api/v1/openapi.json", "/api/v1/auth/session", "/no/such/path"} {
		rec := e.browser("GET", path, "", "")
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s (%d): X-Content-Type-Options %q", path, rec.Code, got)
		}
	}
}

var tlsState = tls.ConnectionState{HandshakeComplete: true}
