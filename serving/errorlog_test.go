package serving

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// wrappedWriter stands for the writers handlers put around the one
// instrument gives them (deadlines, compression).
type wrappedWriter struct{ http.ResponseWriter }

func (w wrappedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestServerErrorsAreLogged: a 500 is logged with the error behind it,
// which the client never sees, also through a wrapped writer; a 503 and a
// 4xx are not logged.
func TestServerErrorsAreLogged(t *testing.T) {
	var logged bytes.Buffer
	s := New()
	s.Log = slog.New(slog.NewTextHandler(&logged, nil))
	s.Handle("GET /fails", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(wrappedWriter{w}, fmt.Errorf("disk on fire"))
	}))
	s.Handle("GET /down", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, music.Errorf(music.EUNAVAILABLE, "catalog database unavailable"))
	}))
	s.Handle("GET /missing", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, music.Errorf(music.ENOTFOUND, "no such thing"))
	}))
	for _, tc := range []struct {
		path   string
		status int
	}{{"/fails", 500}, {"/down", 503}, {"/missing", 404}} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, rec.Code, tc.status)
		}
		if strings.Contains(rec.Body.String(), "disk on fire") {
			t.Errorf("GET %s: the client saw the internal error: %s", tc.path, rec.Body)
		}
	}
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "route=\"GET /fails\"") || !strings.Contains(lines[0], "status=500") ||
		!strings.Contains(lines[0], "disk on fire") {
		t.Errorf("log:\n%s\nwant one line for GET /fails with its status and error", logged.String())
	}
}
