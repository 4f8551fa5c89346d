package serving

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzJSONBodies sends each input as the body of every API route that
// reads JSON (playlist create, edit, add, remove, move; library save and
// remove): no input makes a route fail with 5xx, and every refusal has
// the standard error body.
func FuzzJSONBodies(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{"track_ids":["rel-1-d1t01"],"position":0}`, `{"entry_ids":["e"],"after":"e"}`,
		`{"ids":["rel-1-d1t01"]}`, `{"name":null,"public":"yes"}`, `{"position":-1}`, `{"track_ids":[]}`, `{`, ``, `[]`, `null`, `{} {}`,
		`{"ids":["` + string(make([]byte, 300)) + `"]}`, `{"position":1e400}`} {
		f.Add(s)
	}
	e := newAPIEnv(f)
	var p playlistJSON
	e.must(201, &p, "POST", "/api/v1/playlists", e.alice, `{"name":"fuzz"}`)
	routes := [][2]string{
		{"POST", "/api/v1/playlists"},
		{"PATCH", "/api/v1/playlists/" + p.ID},
		{"POST", "/api/v1/playlists/" + p.ID + "/tracks"},
		{"DELETE", "/api/v1/playlists/" + p.ID + "/tracks"},
		{"POST", "/api/v1/playlists/" + p.ID + "/tracks/move"},
		{"PUT", "/api/v1/me/library/tracks"},
		{"DELETE", "/api/v1/me/library/albums"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, r := range routes {
			req := httptest.NewRequest(r[0], r[1], strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.alice)
			rec := httptest.NewRecorder()
			e.s.Handler().ServeHTTP(rec, req)
			code, b := rec.Code, rec.Body.Bytes()
			if code >= 500 {
				t.Fatalf("%s %s with body %q: %d %s", r[0], r[1], body, code, b)
			}
			if code >= 400 {
				var eb errorBody
				if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
					t.Fatalf("%s %s with body %q: %d without the error body: %s", r[0], r[1], body, code, b)
				}
			}
		}
	})
}

// FuzzLimitRanges: any Range header on any size gives at most MaxRanges
// sorted, disjoint, non-adjacent ranges inside the object, or a refusal.
func FuzzLimitRanges(f *testing.F) {
	for _, s := range []string{"bytes=0-99", "bytes=0-99,50-149", "bytes=-5,0-0", "bytes=1-1,2-2,3-3", "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16", "bytes=,,,", "bytes=5-1"} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size <= 0 {
			return
		}
		req, err := newRangeRequest(h)
		if err != nil {
			return
		}
		rs, err := limitRanges(req, size)
		if err != nil {
			return
		}
		if len(rs) > MaxRanges {
			t.Fatalf("%q: %d ranges, over %d", h, len(rs), MaxRanges)
		}
		for i, r := range rs {
			if r.start < 0 || r.length <= 0 || r.start+r.length > size {
				t.Fatalf("%q on %d: range %+v outside the object", h, size, r)
			}
			if i > 0 && rs[i-1].start+rs[i-1].length >= r.start {
				t.Fatalf("%q: ranges %+v and %+v overlap or touch after coalescing", h, rs[i-1], r)
			}
		}
	})
}

func newRangeRequest(h string) (*http.Request, error) {
	req, err := http.NewRequest("GET", "/", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Range", h)
	return req, nil
}
