package catalogtest

import (
	"fmt"
	"testing"

	music "github.com/openmusic/music"
)

func testVisibility(t *testing.T, e *env) {
	p := Publication(10, 1)
	p.Deals = []music.Deal{
		{ // everywhere but the US during 2026; End is exclusive
			Territories: []string{"Worldwide"}, ExcludedTerritories: []string{"us"},
			Start: date(2026, 1, 1), End: date(2027, 1, 1), CommercialModel: "SubscriptionModel",
			UseTypes: []string{"OnDemandStream"},
		},
		{ // the US from June 2026 on
			Territories: []string{"US"}, Start: date(2026, 6, 1), CommercialModel: "AdvertisementSupportedModel",
			UseTypes: []string{"Stream"},
		},
		{ // Japan only during March 2025
			Territories: []string{"JP", "KR"}, Start: date(2025, 3, 1), End: date(2025, 4, 1),
		},
	}
	e.put(p)
	// A second release with no deal at all is never visible to listeners.
	q := Publication(11, 1)
	q.Deals = []music.Deal{}
	e.put(q)

	tests := []struct {
		terr string
		at   string
		want bool
	}{
		{"DE", "2025-12-31T23:59:59Z", false},
		{"DE", "2026-01-01T00:00:00Z", true},
		{"de", "2026-07-15T10:00:00Z", true},
		{"DE", "2026-12-31T23:59:59Z", true},
		{"DE", "2027-01-01T00:00:00Z", false},
		{"US", "2026-03-01T00:00:00Z", false}, // excluded from Worldwide, own deal not started
		{"US", "2026-06-01T00:00:00Z", true},
		{"US", "2031-01-01T00:00:00Z", true}, // open-ended
		{"JP", "2025-03-15T00:00:00Z", true},
		{"KR", "2025-03-31T23:59:59Z", true},
		{"JP", "2025-04-01T00:00:00Z", false},
		{"FR", "2025-03-15T00:00:00Z", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s@%s", tc.terr, tc.at), func(t *testing.T) {
			at, err := parseTime(tc.at)
			if err != nil {
				t.Fatal(err)
			}
			v := music.Visibility{Territory: tc.terr, At: at}
			want := ""
			if !tc.want {
				want = music.ENOTFOUND
			}
			_, err = e.s.Release(e.ctx, "rel-10", v)
			wantCode(t, "Release", err, want)
			_, err = e.s.Track(e.ctx, p.Tracks[0].ID, v)
			wantCode(t, "Track", err, want)
			_, err = e.s.TrackByISRC(e.ctx, p.Tracks[0].ISRC, v)
			wantCode(t, "TrackByISRC", err, want)
			_, rels, err := e.s.Artist(e.ctx, "art-feat-10", v)
			wantCode(t, "Artist", err, want)
			if tc.want && len(rels) != 1 {
				t.Errorf("Artist releases %d, want 1", len(rels))
			}
			_, err = e.s.Release(e.ctx, "rel-11", v)
			wantCode(t, "Release without deals", err, music.ENOTFOUND)
			// The search filter agrees with the reads.
			for _, c := range []struct {
				kind     music.DocType
				id, none string
			}{{music.DocAlbum, "rel-10", "rel-11"}, {music.DocTrack, p.Tracks[0].ID, q.Tracks[0].ID}, {music.DocArtist, "art-feat-10", "art-feat-11"}} {
				vis, err := e.s.VisibleIDs(e.ctx, c.kind, []string{c.id, c.none, "nope"}, v)
				if err != nil || vis[c.id] != tc.want || vis[c.none] || vis["nope"] {
					t.Errorf("VisibleIDs(%s) = %v, %v; want %s visible: %v", c.kind, vis, err, c.id, tc.want)
				}
			}
		})
	}

	// The artist on both releases sees only the one in a deal.
	v := music.Visibility{Territory: "DE", At: date(2026, 2, 1)}
	if _, rels, err := e.s.Artist(e.ctx, "art-main", v); err != nil || len(rels) != 1 || rels[0].ID != "rel-10" {
		t.Errorf("Artist art-main = %+v, %v; want only rel-10", rels, err)
	}
	if _, rels, err := e.s.Artist(e.ctx, "art-main", music.Visibility{}); err != nil || len(rels) != 2 {
		t.Errorf("ops Artist art-main = %d releases, %v; want 2", len(rels), err)
	}
	// A zero At means now (the store's clock): the epoch is in 2026.
	if _, err := e.s.Release(e.ctx, "rel-10", music.Visibility{Territory: "DE"}); err != nil {
		t.Errorf("Release at the clock's now: %v", err)
	}
	for _, bad := range []string{"DEU", "Worldwide", "1A"} {
		_, err := e.s.Release(e.ctx, "rel-10", music.Visibility{Territory: bad, At: epoch})
		wantCode(t, "territory "+bad, err, music.EINVALID)
	}
	// Deals read back normalized.
	r, err := e.s.Release(e.ctx, "rel-10", music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Deals) != 3 || r.Deals[0].ExcludedTerritories[0] != "US" || !r.Deals[1].End.IsZero() {
		t.Errorf("deals read back as %+v", r.Deals)
	}
}

func testNotFound(t *testing.T, e *env) {
	e.put(Publication(12, 1))
	for _, v := range []music.Visibility{{}, listener} {
		_, err := e.s.Track(e.ctx, "no-such-track", v)
		wantCode(t, "Track", err, music.ENOTFOUND)
		_, err = e.s.TrackByISRC(e.ctx, "QZZZZ0000000", v)
		wantCode(t, "TrackByISRC", err, music.ENOTFOUND)
		_, err = e.s.Release(e.ctx, "no-such-release", v)
		wantCode(t, "Release", err, music.ENOTFOUND)
		_, _, err = e.s.Artist(e.ctx, "no-such-artist", v)
		wantCode(t, "Artist", err, music.ENOTFOUND)
	}
	_, err := e.s.Count(e.ctx, "users; DROP TABLE users")
	wantCode(t, "Count of an unknown table", err, music.EINVALID)
}
