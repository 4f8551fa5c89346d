package serving

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSignIn sends each input as the body, Origin and Sec-Fetch-Site of
// a login and a signup: no input makes them fail with 5xx, every refusal
// has the standard error body, and nothing from another origin (by its
// Origin or Sec-Fetch-Site) ever signs in.
func FuzzSignIn(f *testing.F) {
	for _, s := range [][3]string{
		{`{"name":"alice","password":"correct horse"}`, "", ""},
		{`{"name":"alice","password":"correct horse"}`, "http://player.example", "same-origin"},
		{`{"name":"alice","password":"correct horse"}`, "https://evil.example", "cross-site"},
		{`{"name":"alice","password":"correct horse"}`, "http://player.example@evil.example", ""},
		{`{"name":"newbie","password":"long enough","country":"DE"}`, "null", ""},
		{`{"name":"","password":""}`, "http://player.example", "none"},
		{`{"name":1}`, "http://[::1", "same-site"},
		{`{`, "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	e := authEnv(f, AuthOptions{OpenSignup: true})
	f.Fuzz(func(t *testing.T, body, origin, site string) {
		for _, path := range []string{"/api/v1/auth/login", "/api/v1/auth/signup"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Host = "player.example"
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
			}
			rec := httptest.NewRecorder()
			e.s.Handler().ServeHTTP(rec, req)
			code, b := rec.Code, rec.Body.Bytes()
			if code >= 500 {
				t.Fatalf("%s body %q origin %q: %d %s", path, body, origin, code, b)
			}
			if code >= 400 {
				var eb errorBody
				if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
					t.Fatalf("%s body %q: %d without the error body: %s", path, body, code, b)
				}
				continue
			}
			u, err := url.Parse(req.Header.Get("Origin"))
			foreign := req.Header.Get("Origin") != "" && (err != nil || u.Host != "player.example")
			sameSite := site == "" || site == "same-origin" || site == "none"
			if foreign || !sameSite {
				t.Fatalf("%s from origin %q, Sec-Fetch-Site %q signed in: %d", path, origin, site, code)
			}
		}
	})
}
