package serving

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// TestReadyHidesErrorsFromAnonymous: /readyz tells anyone which
// dependency is down, but only an ops account sees the raw error, which
// names internal hosts and drivers.
func TestReadyHidesErrorsFromAnonymous(t *testing.T) {
	_, st, listener := newCatalogServerStore(t)
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	s := New()
	s.Users = st
	const raw = "dial tcp 10.1.2.3:5432: connect: connection refused (user=music)"
	s.AddCheck("catalog", func(context.Context) error { return errors.New(raw) })
	for _, tc := range []struct {
		name, token string
		wantRaw     bool
	}{
		{"anonymous", "", false},
		{"listener", listener, false},
		{"bad token", "mt_nope", false},
		{"ops", ops, true},
	} {
		req := httptest.NewRequest("GET", "/readyz", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != 503 || !strings.Contains(body, `"catalog":{"status":"down"`) {
			t.Errorf("%s: %d %s; want 503 naming catalog down", tc.name, rec.Code, body)
		}
		if got := strings.Contains(body, "10.1.2.3"); got != tc.wantRaw {
			t.Errorf("%s: raw error shown = %v, want %v: %s", tc.name, got, tc.wantRaw, body)
		}
	}
}
