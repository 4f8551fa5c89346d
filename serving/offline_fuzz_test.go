package serving

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzOfflineBodies sends each input as the body of every offline route
// that reads JSON: none fails with 5xx, every refusal has the standard
// error body, and a licence comes back only in a 200 answer.
func FuzzOfflineBodies(f *testing.F) {
	e := newOfflineEnv(f, 100)
	_, dev := e.enrol(e.alice)
	m := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","track_ids":["rel-1-d1t01"]}`)
	d := `"device_id":"` + dev.DeviceID + `"`
	for _, s := range []string{`{"name":"x","public_key":"AAAA"}`, `{` + d + `,"track_ids":["rel-1-d1t01"]}`, `{` + d + `,"album_id":"rel-1","quality":"24"}`,
		`{` + d + `,"playlist_id":"nope"}`, `{` + d + `,"licences":["` + m.Items[0].Licence + `"]}`, `{` + d + `,"licences":["a.b"]}`,
		`{` + d + `,"track_ids":[]}`, `{`, ``, `null`, `[]`, `{} {}`, `{"device_id":1}`,
		`{` + d + `,"episode_ids":["` + e.ep + `"]}`, `{` + d + `,"episode_ids":["` + e.unpub + `","ep_nope"],"quality":"24"}`,
		`{` + d + `,"episode_ids":["` + e.ep + `"],"track_ids":["rel-1-d1t01"]}`, `{` + d + `,"episode_ids":"x"}`, `{` + d + `,"episode_ids":[null]}`} {
		f.Add(s)
	}
	routes := [][2]string{
		{"POST", "/api/v1/me/offline/devices"},
		{"POST", "/api/v1/me/offline/downloads"},
		{"DELETE", "/api/v1/me/offline/downloads"},
		{"POST", "/api/v1/me/offline/licences/renew"},
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
				if strings.Contains(string(b), `"licence"`) {
					t.Fatalf("%s %s with body %q: a refusal carried a licence: %s", r[0], r[1], body, b)
				}
			}
		}
	})
}
