package serving

import (
	"context"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/sqlstore"
)

// newReleasesServer is the catalog server (see newCatalogServer: rel-1
// worldwide, rel-2 Germany only, rel-3 expired) with two more releases:
// rel-4, the newest, embargoed until tomorrow, and rel-5, worldwide.
func newReleasesServer(t *testing.T) (*Server, *sqlstore.Store, string) {
	t.Helper()
	s, st, listener := newCatalogServerStore(t)
	embargo := catalogtest.Publication(4, 1)
	embargo.Release.ReleaseDate = "2026-06-02"
	embargo.Deals = []music.Deal{{Territories: []string{music.Worldwide}, Start: catalogNow.AddDate(0, 0, 1)}}
	for _, p := range []music.Publication{embargo, catalogtest.Publication(5, 1)} {
		if err := st.PutRelease(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return s, st, listener
}

// newReleases decodes a 200 answer into its album IDs and total.
func newReleases(t *testing.T, rec *httptest.ResponseRecorder) ([]string, int) {
	t.Helper()
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var out newReleasesJSON
	mustUnmarshal(t, rec.Body.Bytes(), &out)
	ids := []string{}
	for _, a := range out.Albums.Items {
		ids = append(ids, a.AlbumID)
		if a.Name == "" || a.Artist.Name != "The Main Band" {
			t.Errorf("album %s listed as %+v; want its name and main artist", a.AlbumID, a)
		}
	}
	return ids, out.Albums.Total
}

// TestNewReleasesAuthorization: like the album route, any signed-in role
// may list new releases; an anonymous caller is 401.
func TestNewReleasesAuthorization(t *testing.T) {
	s, st, listener := newReleasesServer(t)
	label := addUser(t, st, "acme", music.RoleLabel, "GB")
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"anonymous", "", 401},
		{"bad token", "mt_nope", 401},
		{"listener", listener, 200},
		{"label", label, 200},
		{"ops", ops, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/api/v1/browse/new-releases", nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want == 200 {
				if ids, _ := newReleases(t, rec); len(ids) == 0 {
					t.Error("no albums listed")
				}
			}
		})
	}
}

// TestNewReleasesTerritory: only releases with a deal in force in the
// caller's territory are listed, newest first: a listener's territory is
// their account country (X-Territory ignored), ops may pick one. The
// embargoed rel-4 and the expired rel-3 never show.
func TestNewReleasesTerritory(t *testing.T) {
	s, st, listener := newReleasesServer(t)
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	for _, tc := range []struct {
		name, path, token, territory string
		want                         []string
		total                        int
	}{
		{"listener in GB", "", listener, "", []string{"rel-5", "rel-1"}, 2},
		{"listener in GB claiming DE", "", listener, "DE", []string{"rel-5", "rel-1"}, 2},
		{"ops looking from DE", "", ops, "de", []string{"rel-5", "rel-2", "rel-1"}, 3},
		{"ops looking from FR", "", ops, "FR", []string{"rel-5", "rel-1"}, 2},
		{"second page", "?offset=1&limit=1", listener, "", []string{"rel-1"}, 2},
		{"past the end", "?offset=10", listener, "", []string{}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, total := newReleases(t, getAs(s, "/api/v1/browse/new-releases"+tc.path, tc.token, tc.territory))
			if !reflect.DeepEqual(ids, tc.want) || total != tc.total {
				t.Errorf("albums %v (total %d), want %v (total %d)", ids, total, tc.want, tc.total)
			}
		})
	}
	// The page echoes its bounds.
	var out newReleasesJSON
	mustUnmarshal(t, getAs(s, "/api/v1/browse/new-releases?offset=1&limit=7", listener, "").Body.Bytes(), &out)
	if out.Albums.Offset != 1 || out.Albums.Limit != 7 {
		t.Errorf("page bounds offset %d limit %d, want 1 and 7", out.Albums.Offset, out.Albums.Limit)
	}
}

// TestNewReleasesBadInput: a bad offset, limit or territory is 400
// naming what is wrong.
func TestNewReleasesBadInput(t *testing.T) {
	s, st, listener := newReleasesServer(t)
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	for _, tc := range []struct {
		name, query, token, territory, field string
	}{
		{"negative offset", "?offset=-1", listener, "", "offset"},
		{"offset not a number", "?offset=ten", listener, "", "offset"},
		{"zero limit", "?limit=0", listener, "", "limit"},
		{"limit over the maximum", "?limit=101", listener, "", "limit"},
		{"limit not a number", "?limit=1.5", listener, "", "limit"},
		{"malformed territory", "", ops, "GBR", "territory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := getAs(s, "/api/v1/browse/new-releases"+tc.query, tc.token, tc.territory)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			var e errorBody
			mustUnmarshal(t, rec.Body.Bytes(), &e)
			if e.Error.Code != music.EINVALID || !strings.Contains(e.Error.Message, tc.field) {
				t.Errorf("error %+v, want %s naming %q", e.Error, music.EINVALID, tc.field)
			}
		})
	}
}
