package reco

import (
	"testing"
	"time"

	"github.com/openmusic/music/plays"
)

func TestPopularity(t *testing.T) {
	asOf := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	daily := []plays.DailyCount{
		{TrackID: "a", Date: "2026-03-28", Territory: "GB", Streams: 1000},
		{TrackID: "b", Date: "2026-03-14", Territory: "GB", Streams: 1000}, // two half-lives old
		{TrackID: "b", Date: "2026-03-28", Territory: "DE", Streams: 10},
		{TrackID: "c", Date: "2026-03-28", Territory: "DE", Streams: 1},
		{TrackID: "d", Date: "2026-03-28", Territory: "DE", Streams: 0},
	}
	got := Popularity(daily, PopularityOptions{AsOf: asOf})
	by := map[string]TrackPopularity{}
	for _, p := range got {
		by[p.TrackID] = p
	}
	if len(got) != 3 {
		t.Fatalf("%d tracks, want 3 (no zero-stream entries): %+v", len(got), got)
	}
	if by["a"].Popularity != 100 || by["a"].Score != 1000 {
		t.Errorf("top track: %+v", by["a"])
	}
	if s := by["b"].Score; s != 260 { // 1000/4 + 10
		t.Errorf("b decayed score %.2f, want 260", s)
	}
	if !(by["a"].Popularity > by["b"].Popularity && by["b"].Popularity > by["c"].Popularity && by["c"].Popularity >= 1) {
		t.Errorf("order: a %d, b %d, c %d", by["a"].Popularity, by["b"].Popularity, by["c"].Popularity)
	}
	// Within DE, b leads: 100 there although only ~80 overall.
	if by["b"].Territories["DE"] != 100 || by["b"].Territories["GB"] == 0 || by["c"].Territories["GB"] != 0 {
		t.Errorf("territories: b %v, c %v", by["b"].Territories, by["c"].Territories)
	}
}
