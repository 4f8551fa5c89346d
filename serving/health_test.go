package serving

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestReadyReportsEachDependency(t *testing.T) {
	tests := []struct {
		name     string
		failing  bool
		wantCode int
	}{
		{"all up", false, http.StatusOK},
		{"one down", true, http.StatusServiceUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, st, _ := newCatalogServerStore(t)
			ops := addUser(t, st, "root", music.RoleOps, "GB")
			s := New()
			s.Users = st
			s.AddCheck("catalog", func(context.Context) error { return nil })
			s.AddCheck("blobstore", func(context.Context) error {
				if tc.failing {
					return errors.New("disk gone")
				}
				return nil
			})
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/readyz", nil)
			req.Header.Set("Authorization", "Bearer "+ops) // ops see the errors
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.wantCode {
				t.Fatalf("status %d, want %d", rec.Code, tc.wantCode)
			}
			var body struct {
				Status       string
				Dependencies map[string]struct{ Status, Error string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if len(body.Dependencies) != 2 || body.Dependencies["catalog"].Status != "ok" {
				t.Fatalf("dependencies: %+v", body.Dependencies)
			}
			if tc.failing && body.Dependencies["blobstore"].Error != "disk gone" {
				t.Fatalf("blobstore error not reported: %+v", body.Dependencies)
			}
		})
	}
}

func TestMetricsCountRequests(t *testing.T) {
	s := New()
	s.Handle("GET /x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `music_http_requests_total{code="4xx",route="GET /x"} 1`) {
		t.Fatalf("request not counted:\n%.2000s", rec.Body.String())
	}
}

func TestErrorStatusMapping(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{music.Errorf(music.EINVALID, "bad"), 400},
		{music.Errorf(music.EUNAUTHORIZED, "who"), 401},
		{music.Errorf(music.EFORBIDDEN, "no"), 403},
		{music.Errorf(music.ENOTFOUND, "gone"), 404},
		{music.Errorf(music.ECONFLICT, "stale"), 409},
		{music.Errorf(music.EUNPROCESSABLE, "rule"), 422},
		{music.Errorf(music.ERATELIMIT, "slow down"), 429},
		{music.Errorf(music.EUNAVAILABLE, "later"), 503},
		{errors.New("secret detail"), 500},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		writeError(rec, tc.err)
		if rec.Code != tc.want {
			t.Errorf("%v: status %d, want %d", tc.err, rec.Code, tc.want)
		}
		if strings.Contains(rec.Body.String(), "secret detail") {
			t.Errorf("internal error leaked: %s", rec.Body.String())
		}
	}
}
