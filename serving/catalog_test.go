package serving

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/sqlstore"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// catalogNow is the server clock in these tests.
var catalogNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// newCatalogServer opens a real SQLite catalog seeded with three releases
// and one listener in GB, and returns the routed server and the token:
//   - rel-1: 4 tracks over two discs, worldwide deal;
//   - rel-2: 1 track, a deal for Germany only;
//   - rel-3: 1 track, a worldwide deal that ended in 2025.
func newCatalogServer(t testing.TB) (*Server, string) {
	t.Helper()
	s, _, token := newCatalogServerStore(t)
	return s, token
}

// newCatalogServerStore is newCatalogServer that also returns the store.
func newCatalogServerStore(t testing.TB) (*Server, *sqlstore.Store, string) {
	t.Helper()
	st := seedCatalog(t)
	_, token, err := st.CreateUser(context.Background(), "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.Now = func() time.Time { return catalogNow }
	s.Signer = testSigner(t, "https://cdn.example.com")
	s.HandleCatalog(st, st)
	return s, st, token
}

// seedCatalog opens a real SQLite catalog with the three releases above.
func seedCatalog(t testing.TB) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	de := catalogtest.Publication(2, 1)
	de.Deals = []music.Deal{{Territories: []string{"DE"}, Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	expired := catalogtest.Publication(3, 1)
	expired.Deals = []music.Deal{{Territories: []string{music.Worldwide},
		Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	for _, p := range []music.Publication{catalogtest.Publication(1, 4), de, expired} {
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatalf("PutRelease %s: %v", p.Release.ID, err)
		}
	}
	return st
}

func TestCatalogAPI(t *testing.T) {
	s, st, token := newCatalogServerStore(t)
	auth := "Bearer " + token
	// Only ops may look through another territory's eyes.
	ops := "Bearer " + addUser(t, st, "root", music.RoleOps, "GB")

	tests := []struct {
		name      string
		path      string
		auth      string
		territory string
		want      int
		wantCode  string                   // error code, for non-200 answers
		check     func(*testing.T, []byte) // for 200 answers
	}{
		{name: "track", path: "/api/v1/tracks/rel-1-d1t01", auth: auth, want: 200, check: checkTrack},
		{name: "track by isrc", path: "/api/v1/tracks?isrc=QZ0000102001", auth: auth, want: 200, check: func(t *testing.T, b []byte) {
			var tr trackJSON
			mustUnmarshal(t, b, &tr)
			if tr.TrackID != "rel-1-d2t01" || tr.DiscNumber != 2 || tr.TrackNumber != 1 {
				t.Errorf("isrc lookup returned %s (disc %d track %d), want rel-1-d2t01", tr.TrackID, tr.DiscNumber, tr.TrackNumber)
			}
		}},
		{name: "album in disc/track order", path: "/api/v1/albums/rel-1", auth: auth, want: 200, check: func(t *testing.T, b []byte) {
			var a albumJSON
			mustUnmarshal(t, b, &a)
			var got []string
			for _, tr := range a.Tracks {
				got = append(got, tr.TrackID)
				if tr.Album.ID != "rel-1" || tr.Album.Name != "Album 1" || len(tr.StreamURLs) != 4 {
					t.Errorf("album track %s: album %+v, %d stream urls", tr.TrackID, tr.Album, len(tr.StreamURLs))
				}
			}
			want := "rel-1-d1t01 rel-1-d1t02 rel-1-d2t01 rel-1-d2t02"
			if strings.Join(got, " ") != want {
				t.Errorf("album tracks %v, want %s", got, want)
			}
			if a.AlbumID != "rel-1" || a.Name != "Album 1" || a.Artist.ID != "art-main" || a.UPC != "000000000001" {
				t.Errorf("album header %+v", a.albumSummaryJSON)
			}
		}},
		{name: "artist with visible albums only", path: "/api/v1/artists/art-main", auth: auth, want: 200, check: artistAlbums("rel-1")},
		{name: "artist from the territory header", path: "/api/v1/artists/art-main", auth: ops, territory: "de", want: 200, check: artistAlbums("rel-2", "rel-1")},
		{name: "release in the header's territory", path: "/api/v1/albums/rel-2", auth: ops, territory: "DE", want: 200, check: func(t *testing.T, b []byte) {
			var a albumJSON
			mustUnmarshal(t, b, &a)
			if a.AlbumID != "rel-2" || len(a.Tracks) != 1 {
				t.Errorf("got %+v", a)
			}
		}},

		{name: "scheme name in lower case", path: "/api/v1/albums/rel-1", auth: "bearer " + token, want: 200, check: func(t *testing.T, b []byte) {
			var a albumJSON
			mustUnmarshal(t, b, &a)
			if a.AlbumID != "rel-1" {
				t.Errorf("got album %q", a.AlbumID)
			}
		}},

		{name: "no token", path: "/api/v1/tracks/rel-1-d1t01", want: 401, wantCode: music.EUNAUTHORIZED},
		{name: "bad token", path: "/api/v1/tracks/rel-1-d1t01", auth: "Bearer mt_nope", want: 401, wantCode: music.EUNAUTHORIZED},
		{name: "token under another scheme", path: "/api/v1/albums/rel-1", auth: "Basic " + token, want: 401, wantCode: music.EUNAUTHORIZED},
		{name: "empty bearer", path: "/api/v1/artists/art-main", auth: "Bearer ", want: 401, wantCode: music.EUNAUTHORIZED},
		{name: "no token on isrc lookup", path: "/api/v1/tracks?isrc=QZ0000101001", want: 401, wantCode: music.EUNAUTHORIZED},

		{name: "unknown track", path: "/api/v1/tracks/nope", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "unknown isrc", path: "/api/v1/tracks?isrc=QZ9999999999", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "unknown album", path: "/api/v1/albums/nope", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "unknown artist", path: "/api/v1/artists/nope", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "album outside the user's territory", path: "/api/v1/albums/rel-2", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "track outside the header's territory", path: "/api/v1/tracks/rel-2-d1t01", auth: ops, territory: "FR", want: 404, wantCode: music.ENOTFOUND},
		{name: "album whose deal ended", path: "/api/v1/albums/rel-3", auth: ops, territory: "DE", want: 404, wantCode: music.ENOTFOUND},
		{name: "track whose deal ended", path: "/api/v1/tracks/rel-3-d1t01", auth: auth, want: 404, wantCode: music.ENOTFOUND},
		{name: "artist seen only where nothing is visible", path: "/api/v1/artists/art-feat-2", auth: auth, want: 404, wantCode: music.ENOTFOUND},

		{name: "malformed territory", path: "/api/v1/tracks/rel-1-d1t01", auth: ops, territory: "GBR", want: 400, wantCode: music.EINVALID},
		{name: "Worldwide is no territory", path: "/api/v1/albums/rel-1", auth: ops, territory: "Worldwide", want: 400, wantCode: music.EINVALID},
		{name: "missing isrc", path: "/api/v1/tracks", auth: auth, want: 400, wantCode: music.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			if tc.territory != "" {
				req.Header.Set(TerritoryHeader, tc.territory)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.want != 200 {
				var e errorBody
				mustUnmarshal(t, body, &e)
				if e.Error.Code != tc.wantCode || e.Error.Message == "" {
					t.Errorf("error body %s, want code %s with a message", body, tc.wantCode)
				}
				if tc.want == 401 && rec.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("401 without WWW-Authenticate")
				}
				return
			}
			tc.check(t, body)
		})
	}
}

// TestCatalogMetrics checks the routes go through Server.Handle, which
// counts requests by route pattern and status class.
func TestCatalogMetrics(t *testing.T) {
	s, _ := newCatalogServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/tracks/x", nil))
	if rec.Code != 401 {
		t.Fatalf("status %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := `music_http_requests_total{code="4xx",route="GET /api/v1/tracks/{id}"} 1`
	if !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("/metrics lacks %s", want)
	}
}

// TestCatalogClock shows that visibility follows the server's clock: a
// deal that ended is visible again when the clock is set before its end.
func TestCatalogClock(t *testing.T) {
	s, token := newCatalogServer(t)
	get := func() int {
		req := httptest.NewRequest("GET", "/api/v1/albums/rel-3", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := get(); code != 404 {
		t.Fatalf("after the deal ended: %d, want 404", code)
	}
	s.Now = func() time.Time { return time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC) }
	if code := get(); code != 200 {
		t.Fatalf("during the deal: %d, want 200", code)
	}
}

// checkTrack compares the whole track response with a golden file.
func checkTrack(t *testing.T, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "track.golden.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("track response differs from %s:\n got %s\nwant %s", golden, pretty.Bytes(), want)
	}
}

// artistAlbums checks that the artist page lists exactly these albums,
// newest release date first.
func artistAlbums(want ...string) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		var a artistJSON
		mustUnmarshal(t, b, &a)
		var got []string
		for _, al := range a.Albums {
			got = append(got, al.AlbumID)
		}
		if a.ArtistID != "art-main" || a.Name != "The Main Band" {
			t.Errorf("artist %s %q", a.ArtistID, a.Name)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("albums %v, want %v", got, want)
		}
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // the structs must describe every field sent
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
