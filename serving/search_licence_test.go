package serving

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/search"
)

// TestSearchShowsOnlyLicensedReleases: search and suggest list only
// releases with a deal in force in the caller's territory: anonymous
// callers get the server's default territory, listeners their account
// country (X-Territory is ignored), ops may pick one. An embargoed
// release (deal not started) and an expired one never show.
func TestSearchShowsOnlyLicensedReleases(t *testing.T) {
	ctx := context.Background()
	s, st, listener := newCatalogServerStore(t)
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	embargo := catalogtest.Publication(4, 1)
	embargo.Deals = []music.Deal{{Territories: []string{music.Worldwide}, Start: catalogNow.AddDate(0, 6, 0)}}
	if err := st.PutRelease(ctx, embargo); err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.Open(t.TempDir(), bleve.Options{Now: func() time.Time { return catalogNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if _, err := idx.Reindex(ctx, search.CatalogDocs(ctx, st)); err != nil {
		t.Fatal(err)
	}
	s.Users, s.Licences, s.DefaultTerritory = st, st, "GB"
	s.HandleSearch(idx)

	albums := func(path, token, territory string) string {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if territory != "" {
			req.Header.Set(TerritoryHeader, territory)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		var found []string
		for _, id := range []string{"rel-1", "rel-2", "rel-3", "rel-4"} {
			if strings.Contains(rec.Body.String(), `"id":"`+id+`"`) {
				found = append(found, id)
			}
		}
		return strings.Join(found, " ")
	}
	for _, tc := range []struct {
		name, token, territory, want string
	}{
		{"anonymous, default territory GB", "", "", "rel-1"},
		{"anonymous claiming DE", "", "DE", "rel-1"},
		{"listener in GB", listener, "", "rel-1"},
		{"listener in GB claiming DE", listener, "DE", "rel-1"},
		{"ops looking from DE", ops, "DE", "rel-1 rel-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := albums("/api/v1/search?q=album&type=album", tc.token, tc.territory); got != tc.want {
				t.Errorf("search albums: %q, want %q", got, tc.want)
			}
			if got := albums("/api/v1/search/suggest?q=albu", tc.token, tc.territory); got != tc.want {
				t.Errorf("suggest: %q, want %q", got, tc.want)
			}
		})
	}
}
