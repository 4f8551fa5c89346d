package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	music "github.com/openmusic/music"
)

// TestAdminShows: remove and restore send the route's method and path
// with the ops token, and a refusal comes back with the server's code.
func TestAdminShows(t *testing.T) {
	var got []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.EscapedPath()+" "+r.Header.Get("Authorization"))
		if r.URL.Path == "/api/v1/podcasts/show_nope/restore" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"code":"not_found","message":"no show \"show_nope\""}}`))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hs.Close()
	ctx := context.Background()
	a := &Admin{Base: hs.URL, Token: "mt_ops"}
	if err := a.RemoveShow(ctx, "show_1"); err != nil {
		t.Fatal(err)
	}
	if err := a.RestoreShow(ctx, "show_1"); err != nil {
		t.Fatal(err)
	}
	err := a.RestoreShow(ctx, "show_nope")
	if music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("restore of an unknown show: %v (code %s), want not found", err, music.ErrorCode(err))
	}
	want := []string{"DELETE /api/v1/podcasts/show_1 Bearer mt_ops", "POST /api/v1/podcasts/show_1/restore Bearer mt_ops",
		"POST /api/v1/podcasts/show_nope/restore Bearer mt_ops"}
	if len(got) != len(want) {
		t.Fatalf("requests %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: %q, want %q", i, got[i], want[i])
		}
	}
	for _, call := range []func(context.Context, string) error{a.RemoveShow, a.RestoreShow} {
		if err := call(ctx, ""); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("empty show ID: %v, want invalid", err)
		}
	}
}
