package rankings

import (
	"reflect"
	"testing"

	"github.com/openmusic/music/plays"
)

func TestDaily(t *testing.T) {
	counts := []plays.DailyCount{
		{TrackID: "a", Date: "2026-03-01", Territory: "DE", Streams: 5},
		{TrackID: "a", Date: "2026-03-01", Territory: "FR", Streams: 5},  // summed over territories: 10
		{TrackID: "b", Date: "2026-03-01", Territory: "DE", Streams: 10}, // ties with a: a first by id
		{TrackID: "c", Date: "2026-03-01", Territory: "DE", Streams: 12},
		{TrackID: "d", Date: "2026-03-01", Territory: "DE", Streams: 1}, // no genre
		{TrackID: "a", Date: "2026-03-02", Territory: "DE", Streams: 2},
	}
	genres := map[string]string{"a": "pop", "b": "rock", "c": "pop"}
	got := Daily(counts, func(id string) string { return genres[id] }, 3)
	chart := func(date, category string, entries ...plays.ChartEntry) plays.Chart {
		return plays.Chart{Date: date, Category: category, Entries: entries}
	}
	entry := func(rank int, trackID string, streams int64) plays.ChartEntry {
		return plays.ChartEntry{Rank: rank, TrackID: trackID, Streams: streams}
	}
	want := []plays.Chart{
		chart("2026-03-01", "overall", entry(1, "c", 12), entry(2, "a", 10), entry(3, "b", 10)),
		chart("2026-03-01", "pop", entry(1, "c", 12), entry(2, "a", 10)),
		chart("2026-03-01", "rock", entry(1, "b", 10)),
		chart("2026-03-02", "overall", entry(1, "a", 2)),
		chart("2026-03-02", "pop", entry(1, "a", 2)),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}
