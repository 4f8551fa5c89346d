package rankings

import (
	"reflect"
	"testing"

	"github.com/openmusic/music/royalty"
)

func TestDaily(t *testing.T) {
	counts := []royalty.DailyCount{
		{TrackID: "a", Date: "2026-03-01", Territory: "DE", Streams: 5},
		{TrackID: "a", Date: "2026-03-01", Territory: "FR", Streams: 5},  // summed over territories: 10
		{TrackID: "b", Date: "2026-03-01", Territory: "DE", Streams: 10}, // ties with a: a first by id
		{TrackID: "c", Date: "2026-03-01", Territory: "DE", Streams: 12},
		{TrackID: "d", Date: "2026-03-01", Territory: "DE", Streams: 1}, // no genre
		{TrackID: "a", Date: "2026-03-02", Territory: "DE", Streams: 2},
	}
	genres := map[string]string{"a": "pop", "b": "rock", "c": "pop"}
	got := Daily(counts, func(id string) string { return genres[id] }, 3)
	want := []Chart{
		{"2026-03-01", "overall", []Entry{{1, "c", 12}, {2, "a", 10}, {3, "b", 10}}},
		{"2026-03-01", "pop", []Entry{{1, "c", 12}, {2, "a", 10}}},
		{"2026-03-01", "rock", []Entry{{1, "b", 10}}},
		{"2026-03-02", "overall", []Entry{{1, "a", 2}}},
		{"2026-03-02", "pop", []Entry{{1, "a", 2}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	c, ok := Find(got, "2026-03-01", "overall", 1)
	if !ok || len(c.Entries) != 1 || c.Entries[0].TrackID != "c" {
		t.Fatalf("find: %+v %v", c, ok)
	}
	if _, ok := Find(got, "2026-03-03", "pop", 10); ok {
		t.Fatal("found a chart for a day without streams")
	}
}
