package serving

import (
	"net/http/httptest"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// FuzzDecodeJSON feeds arbitrary bodies to the strict decoder: it never
// panics, and every refusal is EINVALID with a message.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"track_ids":["a"],"position":0}`, `{"after":"x"}`, `{"x":1}`, `{`, ``, `[]`, `{"position":"1"}`, `{} {}`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		var in placeJSON
		err := decodeJSON(httptest.NewRecorder(), req, &in)
		if err != nil && (music.ErrorCode(err) != music.EINVALID || music.ErrorMessage(err) == "") {
			t.Fatalf("body %q: %v (code %s)", body, err, music.ErrorCode(err))
		}
	})
}

// FuzzIfMatch checks that any If-Match header is a version, none, or
// EINVALID.
func FuzzIfMatch(f *testing.F) {
	for _, s := range []string{`"3"`, `W/"3"`, `3`, `*`, ``, `"0"`, `"-1"`, `"x"`, `"99999999999999999999"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		req := httptest.NewRequest("POST", "/", nil)
		req.Header.Set("If-Match", h)
		v, err := ifMatch(req)
		if (err == nil && v < 0) || (err != nil && music.ErrorCode(err) != music.EINVALID) {
			t.Fatalf("If-Match %q: %d, %v", h, v, err)
		}
	})
}
