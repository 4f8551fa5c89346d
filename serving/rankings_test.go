package serving

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/openmusic/music/rankings"
	"github.com/openmusic/music/sqlstore"

	"github.com/openmusic/music/plays"
)

func TestRankingsHistory(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var entries []plays.ChartEntry
	for i := 1; i <= 12; i++ {
		entries = append(entries, plays.ChartEntry{Rank: i, TrackID: "t" + string(rune('a'+i)), Streams: int64(100 - i)})
	}
	if err := st.SaveCharts(ctx, "2026-03-01", []plays.Chart{
		{Date: "2026-03-01", Category: "pop", Entries: entries},
		{Date: "2026-03-01", Category: rankings.Overall, Entries: entries[:3]},
	}); err != nil {
		t.Fatal(err)
	}
	s := New()
	s.HandleRankings(st)
	for _, tc := range []struct {
		query string
		code  int
		n     int
	}{
		{"category=pop&date=2026-03-01&limit=5", 200, 5},
		{"category=POP&date=2026-03-01", 200, 10},
		{"date=2026-03-01", 200, 3},
		{"category=pop&date=2026-03-02", 404, 0},
		{"category=jazz&date=2026-03-01", 404, 0},
		{"category=pop", 400, 0},
		{"category=pop&date=01/03/2026", 400, 0},
		{"category=pop&date=2026-03-01&limit=0", 400, 0},
		{"category=pop&date=2026-03-01&limit=201", 400, 0},
		{"category=pop&date=2026-03-01&limit=ten", 400, 0},
	} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/rankings/history?"+tc.query, nil))
		if rec.Code != tc.code {
			t.Fatalf("%s: %d %s, want %d", tc.query, rec.Code, rec.Body, tc.code)
		}
		if tc.code != 200 {
			continue
		}
		var c plays.Chart
		if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		if len(c.Entries) != tc.n || !reflect.DeepEqual(c.Entries, entries[:tc.n]) {
			t.Fatalf("%s: %d entries %v", tc.query, len(c.Entries), c.Entries)
		}
	}
}
