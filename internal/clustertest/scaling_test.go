//go:build cluster

package clustertest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/workflows"
)

// Sizes of the scaling runs.
const (
	scalingTracks  = 6      // tracks of each ingest
	scalingReports = 10_000 // reports of each playback run
)

// TestClusterScaling measures, in one deployment and one run, ingest with
// 1 and then 2 workers (different releases of real music), and playback
// reports through a front over 1 and then over 2 serves. No faults. On a
// 2-core machine the processes share the same cores, so this shows
// whether a second process helps there, not how the platform scales on
// more machines.
func TestClusterScaling(t *testing.T) {
	c := Start(t, Options{})
	label := strings.TrimSpace(c.Musicctl(t, time.Minute, nil, "users", "add", "scaling-label", "--role", "label"))
	c.Workers[1].Stop()
	one := timeIngest(t, c, label, 0)
	c.Workers[1].Restart(t)
	two := timeIngest(t, c, label, scalingTracks)
	t.Logf("ingest, %d tracks: 1 worker %.0f tracks/hour, 2 workers %.0f tracks/hour (%.2f×)", scalingTracks, one, two, two/one)

	tokens, tracks := c.SeedListeners(t, "scaler", 20, 20)
	base := time.Now().Add(-10 * time.Minute).UTC()
	single := startFront(t, []string{c.Serves[0].Ready["http"]})
	r1 := timePlayback(t, single.URL, playbackReports("one", tokens, tracks, scalingReports, base))
	r2 := timePlayback(t, c.Front.URL, playbackReports("two", tokens, tracks, scalingReports, base))
	t.Logf("playback, %d reports, 24 clients: 1 serve %.0f reports/s, 2 serves %.0f reports/s (%.2f×)", scalingReports, r1, r2, r2/r1)
}

// timeIngest ingests a delivery of scalingTracks masters from first on,
// waits for it, and returns tracks per hour of wall time.
func timeIngest(t *testing.T, c *Cluster, label string, first int) float64 {
	t.Helper()
	delivery, rel := writeDelivery(t, first, scalingTracks)
	start := time.Now()
	out := c.Musicctl(t, 20*time.Minute, []string{"MUSIC_TOKEN=" + label}, "ingest", delivery, "--json", "--temporal-address", c.TemporalAddress(1))
	wall := time.Since(start)
	var res struct{ Reports []workflows.IngestReport }
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Reports) != 1 {
		t.Fatalf("ingest output %q: %v", out, err)
	}
	if rep := res.Reports[0]; rep.Status != workflows.StatusPublished || len(rep.Tracks) != len(rel.Tracks) {
		t.Fatalf("report: %+v", rep)
	}
	return float64(len(rel.Tracks)) / wall.Hours()
}

// timePlayback sends reports through front with 24 clients and returns
// reports acknowledged per second.
func timePlayback(t *testing.T, front string, reports []report) float64 {
	t.Helper()
	load := newReportLoad(front, reports)
	start := time.Now()
	if err := load.run(context.Background(), 24); err != nil {
		t.Fatal(err)
	}
	if n := load.nAcked.Load(); n != int64(len(reports)) {
		t.Fatalf("%d of %d reports acknowledged", n, len(reports))
	}
	return float64(len(reports)) / time.Since(start).Seconds()
}
