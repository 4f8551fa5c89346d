package serving

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSocialBodies sends each input as the body of every social route
// that reads JSON (follows, saved playlists, shares, settings, blocks,
// editorial playlists): no input makes a route fail with 5xx, and every
// refusal has the standard error body.
func FuzzSocialBodies(f *testing.F) {
	for _, s := range []string{`{"ids":["art-main"]}`, `{"ids":[]}`, `{"type":"track","id":"rel-1-d1t01"}`, `{"type":"playlist","id":""}`,
		`{"private_session":true}`, `{"share_activity":null}`, `{"name":"x","cover_url":"https://a.example/c.jpg","track_ids":["rel-1-d1t01"]}`,
		`{"name":"x","cover_url":"https://user@a.example/"}`, `{"cover_url":"https://[::1"}`, `{"ids":["` + strings.Repeat("x", 300) + `"]}`,
		`{`, ``, `[]`, `null`, `{} {}`, `{"ids":[1]}`, `{"track_ids":"x"}`} {
		f.Add(s)
	}
	e := newSocialEnv(f)
	routes := []struct{ method, path, token string }{
		{"PUT", "/api/v1/me/following?type=user", e.alice},
		{"DELETE", "/api/v1/me/following?type=artist", e.alice},
		{"PUT", "/api/v1/me/library/playlists", e.alice},
		{"POST", "/api/v1/shares", e.alice},
		{"PUT", "/api/v1/me/settings", e.alice},
		{"PUT", "/api/v1/me/blocks", e.alice},
		{"DELETE", "/api/v1/me/blocks", e.alice},
		{"POST", "/api/v1/editorial/playlists", e.ops},
		{"POST", "/api/v1/editorial/playlists", e.lbl},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, r := range routes {
			req := httptest.NewRequest(r.method, r.path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+r.token)
			rec := httptest.NewRecorder()
			e.s.Handler().ServeHTTP(rec, req)
			code, b := rec.Code, rec.Body.Bytes()
			if code >= 500 {
				t.Fatalf("%s %s with body %q: %d %s", r.method, r.path, body, code, b)
			}
			if code >= 400 {
				var eb errorBody
				if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
					t.Fatalf("%s %s with body %q: %d without the error body: %s", r.method, r.path, body, code, b)
				}
			}
		}
	})
}
