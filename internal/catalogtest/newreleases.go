package catalogtest

import (
	"reflect"
	"testing"

	music "github.com/openmusic/music"
)

func testNewReleases(t *testing.T, e *env) {
	rel := func(n int, date string, deals ...music.Deal) music.Publication {
		p := Publication(n, 1)
		p.Release.ReleaseDate = date
		p.Deals = deals
		return p
	}
	tomorrow := epoch.AddDate(0, 0, 1)
	e.put(rel(60, "2024-05-01", worldwideDeal))
	e.put(rel(62, "2025-01-01", worldwideDeal)) // same date as rel-61: ID order
	e.put(rel(61, "2025-01-01", worldwideDeal))
	e.put(rel(63, "2026-03-02", music.Deal{Territories: []string{music.Worldwide}, Start: tomorrow})) // embargoed
	e.put(rel(64, "2025-06-01", music.Deal{Territories: []string{music.Worldwide},
		Start: date(2020, 1, 1), End: date(2026, 1, 1)})) // expired
	e.put(rel(65, "2025-12-01", music.Deal{Territories: []string{"FR"}, Start: date(2020, 1, 1)})) // another territory's
	e.put(rel(66, "2025-11-01", worldwideDeal))
	if err := e.s.TakedownRelease(e.ctx, "rel-66"); err != nil {
		t.Fatal(err)
	}
	pending := rel(67, "2025-10-01", worldwideDeal)
	pending.Publish = false
	e.put(pending)

	ids := func(rels []music.Release) []string {
		out := []string{}
		for _, r := range rels {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		name          string
		v             music.Visibility
		offset, limit int
		want          []string
		total         int
	}{
		{"DE", listener, 0, 10, []string{"rel-61", "rel-62", "rel-60"}, 3},
		{"DE second page", listener, 1, 1, []string{"rel-62"}, 3},
		{"DE past the end", listener, 5, 10, []string{}, 3},
		{"FR", music.Visibility{Territory: "fr", At: epoch}, 0, 10, []string{"rel-65", "rel-61", "rel-62", "rel-60"}, 4},
		{"DE tomorrow: embargo lifted", music.Visibility{Territory: "DE", At: tomorrow}, 0, 2, []string{"rel-63", "rel-61"}, 4},
		{"DE in 2025: before expiry", music.Visibility{Territory: "DE", At: date(2025, 7, 1)}, 0, 10,
			[]string{"rel-64", "rel-61", "rel-62", "rel-60"}, 4},
		{"ops sees every state", music.Visibility{}, 0, 3, []string{"rel-63", "rel-65", "rel-66"}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rels, total, err := e.s.NewReleases(e.ctx, tc.v, tc.offset, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(rels); !reflect.DeepEqual(got, tc.want) || total != tc.total {
				t.Errorf("NewReleases = %v (total %d), want %v (total %d)", got, total, tc.want, tc.total)
			}
			for _, r := range rels {
				if r.Title == "" || len(r.Artists) != 1 || r.Artists[0].Name != "The Main Band" {
					t.Errorf("release %s read back as %+v; want its title and credits", r.ID, r)
				}
			}
		})
	}
	for _, bad := range []struct {
		name          string
		v             music.Visibility
		offset, limit int
	}{
		{"territory", music.Visibility{Territory: "Worldwide", At: epoch}, 0, 10},
		{"offset", listener, -1, 10},
		{"limit", listener, 0, -1},
	} {
		_, _, err := e.s.NewReleases(e.ctx, bad.v, bad.offset, bad.limit)
		wantCode(t, "NewReleases with a bad "+bad.name, err, music.EINVALID)
	}
}
