package natslog

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/metrics"
	"github.com/prometheus/client_golang/prometheus"
)

// TestLagCollectorsMeasureThePendingEvents scrapes the lag gauges with
// events appended and no writer (the age grows with the wait), then
// after a writer drained the stream (both 0).
func TestLagCollectorsMeasureThePendingEvents(t *testing.T) {
	_, l := embedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := prometheus.NewRegistry()
	reg.MustRegister(l.LagCollectors()...)
	scrape := func() (events, seconds float64) {
		t.Helper()
		got, err := metrics.Series(reg)
		if err != nil {
			t.Fatal(err)
		}
		return got["music_lake_writer_lag_events{}"], got["music_lake_writer_lag_seconds{}"]
	}
	if ev, s := scrape(); ev != 0 || s != 0 {
		t.Fatalf("empty stream: lag %v events, %v s; want 0, 0", ev, s)
	}
	for _, e := range events(25, "lagm") {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond)
	if ev, s := scrape(); ev != 25 || s < 1 || s > 60 {
		t.Fatalf("25 pending for 1.1 s: lag %v events, %v s", ev, s)
	}
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.RunLakeWriter(ctx, store, WriterOptions{FlushEvery: 100 * time.Millisecond, Exclusive: true, ID: "m"})
	}()
	defer wg.Wait()
	defer cancel()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ev, s := scrape()
		if ev == 0 && s == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lag still %v events, %v s 20 s after the writer started", ev, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
