package royalty

import (
	"context"
	"testing"

	"github.com/openmusic/music/lake/synth"
)

// BenchmarkCountMonth times the full count (dedup, 30 s rule, fraud rules,
// aggregation) over a small synthetic month; rows/s is reported as
// events/s. The 50-million-event comparison with DuckDB is
// bench/royaltybench (see docs/benchmarks/royalty.md).
func BenchmarkCountMonth(b *testing.B) {
	ctx := context.Background()
	store := openStore(b, b.TempDir())
	st, err := synth.Generate(ctx, store, synth.Config{Month: march, Events: 300_000, Seed: 7, BatchHours: 744})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := CountMonth(ctx, store, march, CountOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
