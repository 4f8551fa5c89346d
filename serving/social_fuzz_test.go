package serving

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	music "github.com/openmusic/music"
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
	var ed playlistJSON
	e.must(201, &ed, "POST", "/api/v1/editorial/playlists", e.ops, `{"name":"fuzz","cover_url":"https://a.example/c.jpg"}`)
	routes := []struct{ method, path, token string }{
		{"POST", "/api/v1/editorial/playlists/" + ed.ID + "/tracks", e.ops},
		{"DELETE", "/api/v1/editorial/playlists/" + ed.ID + "/tracks", e.ops},
		{"PATCH", "/api/v1/editorial/playlists/" + ed.ID, e.ops},
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

// FuzzSplitPlaylistType: any ?type= is refused (EINVALID) or leaves the
// search index a type list without "playlist", says whether playlists were asked for, and asks
// the index for nothing only when playlists alone were.
func FuzzSplitPlaylistType(f *testing.F) {
	for _, s := range []string{"", "playlist", "track,playlist", " PlayList ,album", "playlist,playlist", ",", "track"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typ string) {
		q := url.Values{"q": {"x"}}
		if typ != "" {
			q.Set("type", typ)
		}
		rest, playlists, catalog, err := splitPlaylistType(q)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("type %q: %v", typ, err)
			}
			return
		}
		for _, part := range strings.Split(rest.Get("type"), ",") {
			if strings.EqualFold(strings.TrimSpace(part), "playlist") {
				t.Fatalf("type %q: the index still gets %q", typ, rest.Get("type"))
			}
		}
		if !playlists && rest.Get("type") != typ {
			t.Fatalf("type %q without playlist became %q", typ, rest.Get("type"))
		}
		if !catalog && (!playlists || rest.Get("type") != "") {
			t.Fatalf("type %q: no catalog search, but playlists %v and rest %q", typ, playlists, rest.Get("type"))
		}
		if q.Get("type") != typ && typ != "" {
			t.Fatalf("the caller's values were changed")
		}
	})
}
