package serving

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/openmusic/music/webapp"
)

// TestWebAppServesFilesWithStrictHeaders: the player's files are public
// (the sign-in happens inside them), each answer carries the CSP and
// nosniff, revalidates by ETag, and nothing outside the embedded files
// is reachable.
func TestWebAppServesFilesWithStrictHeaders(t *testing.T) {
	s := New()
	if err := s.HandleWebApp(webapp.Files()); err != nil {
		t.Fatal(err)
	}
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/", "text/html", `<script type="module" src="/app/main.js">`},
		{"/app/main.js", "javascript", "import"},
		{"/app/style.css", "text/css", ":focus-visible"},
		{"/app/views/playlist.js", "javascript", "If-Match"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			rec := get(tc.path)
			h := rec.Header()
			if rec.Code != 200 || !strings.Contains(h.Get("Content-Type"), tc.ctype) || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Fatalf("%d %q, body %.80q", rec.Code, h.Get("Content-Type"), rec.Body.String())
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP %q allows inline code", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-cache" || h.Get("ETag") == "" {
				t.Errorf("headers %v", h)
			}
			if again := get(tc.path, "If-None-Match", h.Get("ETag")); again.Code != http.StatusNotModified {
				t.Errorf("revalidation: %d, want 304", again.Code)
			}
		})
	}
	for _, path := range []string{"/app/", "/app/missing.js", "/app/../webapp.go", "/index.html", "/app/%2e%2e/webapp.go"} {
		if rec := get(path); rec.Code == 200 {
			t.Errorf("GET %s: 200, want an error", path)
		}
	}
}

// TestWebAppAllowsTheAudioCDN: with stream URLs on a CDN the player may
// load media from it, and from nowhere else.
func TestWebAppAllowsTheAudioCDN(t *testing.T) {
	s := New()
	var err error
	if s.Signer, err = NewStreamSigner([]byte(strings.Repeat("k", MinStreamKeyBytes)), time.Hour, "https://cdn.example.com"); err != nil {
		t.Fatal(err)
	}
	if err := s.HandleWebApp(fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "media-src 'self' https://cdn.example.com;") {
		t.Fatalf("CSP %q", csp)
	}
	if err := New().HandleWebApp(fstest.MapFS{"app/x.js": {Data: []byte("")}}); err == nil {
		t.Fatal("files without index.html were accepted")
	}
}
