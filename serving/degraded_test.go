package serving

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/sqlstore"
)

// downStore is the catalog database with a switch that makes every call
// the routes below make fail as an unreachable database does.
type downStore struct {
	*sqlstore.Store
	down atomic.Bool
}

var errDown = music.Errorf(music.EUNAVAILABLE, "catalog database unavailable; retry later")

func (d *downStore) Track(ctx context.Context, id string, v music.Visibility) (*music.Track, error) {
	if d.down.Load() {
		return nil, errDown
	}
	return d.Store.Track(ctx, id, v)
}

func (d *downStore) Release(ctx context.Context, id string, v music.Visibility) (*music.Release, error) {
	if d.down.Load() {
		return nil, errDown
	}
	return d.Store.Release(ctx, id, v)
}

func (d *downStore) Artist(ctx context.Context, id string, v music.Visibility) (*music.Artist, []music.Release, error) {
	if d.down.Load() {
		return nil, nil, errDown
	}
	return d.Store.Artist(ctx, id, v)
}

func (d *downStore) NewReleases(ctx context.Context, v music.Visibility, offset, limit int) ([]music.Release, int, error) {
	if d.down.Load() {
		return nil, 0, errDown
	}
	return d.Store.NewReleases(ctx, v, offset, limit)
}

func (d *downStore) UserByToken(ctx context.Context, token string) (*music.User, error) {
	if d.down.Load() {
		return nil, errDown
	}
	return d.Store.UserByToken(ctx, token)
}

func (d *downStore) CreatePlaylist(ctx context.Context, owner, name, desc string, public bool) (*music.Playlist, error) {
	if d.down.Load() {
		return nil, errDown
	}
	return d.Store.CreatePlaylist(ctx, owner, name, desc, public)
}

func (d *downStore) SaveItems(ctx context.Context, userID, kind string, ids []string) error {
	if d.down.Load() {
		return errDown
	}
	return d.Store.SaveItems(ctx, userID, kind, ids)
}

// TestSecurityCatalogDown: with the catalog database down, what was read
// recently keeps being served past its cache TTL, a cold read and every
// write answer 503 with Retry-After, /readyz says "degraded" (200), and
// writes work again once it is back.
func TestSecurityCatalogDown(t *testing.T) {
	st := seedCatalog(t)
	_, token, err := st.CreateUser(context.Background(), "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	d := &downStore{Store: st}
	now := catalogNow
	s := New()
	s.Now = func() time.Time { return now }
	s.HandleCatalog(d, d)
	s.HandlePlaylists(d, d, d)
	s.HandleLibrary(d, d, d)
	s.AddDegradableCheck("catalog", func(context.Context) error {
		if d.down.Load() {
			return errDown
		}
		return nil
	})
	do := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	reads := []string{"/api/v1/tracks/rel-1-d1t01", "/api/v1/albums/rel-1", "/api/v1/artists/art-main"}
	warm := map[string]string{}
	for _, p := range reads {
		rec := do("GET", p, "")
		if rec.Code != 200 {
			t.Fatalf("GET %s with the database up: %d %s", p, rec.Code, rec.Body)
		}
		warm[p] = rec.Body.String()
	}

	d.down.Store(true)
	now = now.Add(time.Hour) // every cache entry has expired
	for _, p := range reads {
		if rec := do("GET", p, ""); rec.Code != 200 || rec.Body.String() != warm[p] {
			t.Errorf("GET %s with the database down: %d %s, want the cached answer", p, rec.Code, rec.Body)
		}
	}
	for _, w := range []struct{ method, path, body string }{
		{"GET", "/api/v1/tracks/rel-1-d1t02", ""},  // never read: nothing cached
		{"GET", "/api/v1/browse/new-releases", ""}, // not cached
		{"POST", "/api/v1/playlists", `{"name":"while down"}`},
		{"PUT", "/api/v1/me/library/tracks", `{"ids":["rel-1-d1t01"]}`},
	} {
		rec := do(w.method, w.path, w.body)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s with the database down: %d (Retry-After %q), want 503 with Retry-After", w.method, w.path, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var ready struct{ Status string }
	json.Unmarshal(rec.Body.Bytes(), &ready)
	if rec.Code != 200 || ready.Status != "degraded" {
		t.Errorf("/readyz with the database down: %d %s, want 200 degraded", rec.Code, rec.Body)
	}

	d.down.Store(false)
	if rec := do("POST", "/api/v1/playlists", `{"name":"after"}`); rec.Code != 201 {
		t.Errorf("write after recovery: %d %s", rec.Code, rec.Body)
	}
}
