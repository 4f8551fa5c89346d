package sqlstore_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/royalty"
	"github.com/openmusic/music/sqlstore"
)

// TestRoyaltyTables runs the pools, month and chart round trips on both
// dialects.
func TestRoyaltyTables(t *testing.T) {
	for name, fresh := range map[string]func(testing.TB) string{"sqlite": catalogtest.SQLiteDSN, "postgres": catalogtest.PostgresDSN} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, fresh(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			for _, bad := range []struct{ month, terr string }{{"2026-13", "GB"}, {"2026-03", "gb"}, {"2026-03", "GBR"}} {
				if err := s.SetPool(ctx, bad.month, bad.terr, 1); music.ErrorCode(err) != music.EINVALID {
					t.Fatalf("SetPool(%s, %s): %v, want EINVALID", bad.month, bad.terr, err)
				}
			}
			must(t, s.SetPool(ctx, "2026-03", "GB", 5_000_000))
			must(t, s.SetPool(ctx, "2026-03", "GB", 7_250_000)) // replaces
			must(t, s.SetPool(ctx, "2026-03", "DE", 1))
			pools, err := s.Pools(ctx, "2026-03")
			must(t, err)
			if want := map[string]plays.Micros{"GB": 7_250_000, "DE": 1}; !reflect.DeepEqual(pools, want) {
				t.Fatalf("pools %v, want %v", pools, want)
			}

			daily := []plays.DailyCount{{TrackID: "t1", Date: "2026-03-01", Territory: "GB", Streams: 3}, {TrackID: "t1", Date: "2026-03-02", Territory: "DE", Streams: 4}}
			ledger := []plays.LedgerRow{
				{Month: "2026-03", Model: royalty.ModelProRata, Territory: "GB", TrackID: "t1", HolderID: "h1", Role: "label", Weight: 3, AmountMicros: 7_000_000},
				{Month: "2026-03", Model: royalty.ModelProRata, Territory: "GB", TrackID: "t1", HolderID: "h2", Role: "artist", Weight: 3, AmountMicros: 250_000},
			}
			for range 2 { // a retry of the same run replaces, never adds
				must(t, s.SaveRoyaltyMonth(ctx, "2026-03", "run-1", false, daily, ledger))
			}
			got, err := s.Ledger(ctx, "2026-03")
			must(t, err)
			if !reflect.DeepEqual(got, ledger) {
				t.Fatalf("ledger %v, want %v", got, ledger)
			}
			// Another run may not replace it silently; forced, it keeps
			// the first ledger as version 1.
			second := ledger[:1]
			if err := s.SaveRoyaltyMonth(ctx, "2026-03", "run-2", false, daily, second); music.ErrorCode(err) != music.ECONFLICT || !strings.Contains(err.Error(), "--force") {
				t.Fatalf("second run without force: %v, want ECONFLICT naming --force", err)
			}
			must(t, s.SaveRoyaltyMonth(ctx, "2026-03", "run-2", true, daily, second))
			v1, err := s.LedgerVersion(ctx, "2026-03", 1)
			must(t, err)
			now, err := s.Ledger(ctx, "2026-03")
			must(t, err)
			cur, settled, err := s.CurrentSettlement(ctx, "2026-03")
			must(t, err)
			if !reflect.DeepEqual(v1, ledger) || !reflect.DeepEqual(now, second) || !settled || cur.Version != 2 || !cur.Forced || cur.RunID != "run-2" {
				t.Fatalf("after a forced re-run: version 1 %v, current %v, settlement %+v", v1, now, cur)
			}
			ds, err := s.DailyStreams(ctx, "t1")
			must(t, err)
			if want := map[string]int64{"2026-03-01": 3, "2026-03-02": 4}; !reflect.DeepEqual(ds, want) {
				t.Fatalf("daily %v, want %v", ds, want)
			}
			if err := s.SaveRoyaltyMonth(ctx, "2026-03", "run-2", false, []plays.DailyCount{{TrackID: "t", Date: "2026-04-01", Territory: "GB", Streams: 1}}, nil); music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("daily count outside the month: %v, want EINVALID", err)
			}

			chart := plays.Chart{Date: "2026-03-01", Category: "pop", Entries: []plays.ChartEntry{{Rank: 1, TrackID: "t2", Streams: 9}, {Rank: 2, TrackID: "t1", Streams: 3}}}
			must(t, s.SaveCharts(ctx, "2026-03-01", []plays.Chart{chart}))
			c, err := s.Chart(ctx, "2026-03-01", "pop", 1)
			must(t, err)
			if !reflect.DeepEqual(c.Entries, chart.Entries[:1]) {
				t.Fatalf("chart %v, want %v", c.Entries, chart.Entries[:1])
			}
			if _, err := s.Chart(ctx, "2026-03-02", "pop", 10); music.ErrorCode(err) != music.ENOTFOUND {
				t.Fatalf("missing chart: %v, want ENOTFOUND", err)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
