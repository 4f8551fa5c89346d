//go:build cluster

package clustertest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/openmusic/music/internal/laketest"
	"github.com/openmusic/music/natslog"
)

// playbackThroughFaults sends 20,000 playback reports through the
// front while the NATS node that leads the playback stream and a serve
// process are killed with SIGKILL and restarted. Every acknowledged report must be in the lake exactly once.
// MUSIC_CLUSTER_REPORTS overrides the count.
func playbackThroughFaults(t *testing.T, c *Cluster, tokens, tracks []string, base time.Time) {
	total := 20_000
	if v, err := strconv.Atoi(os.Getenv("MUSIC_CLUSTER_REPORTS")); err == nil && v > 0 {
		total = v
	}
	load := newReportLoad(c.Front.URL, playbackReports("cl", tokens, tracks, total, base))
	done := make(chan struct{})
	var loadErr error
	start := time.Now()
	go func() {
		loadErr = load.run(context.Background(), 24)
		close(done)
	}()
	faults := &faultLog{t: t, start: start}
	at := func(pct int) {
		t.Helper()
		if err := load.waitAcked(int64(total*pct/100), done, 2*time.Minute); err != nil {
			t.Fatalf("%v (load: %v)", err, loadErr)
		}
	}
	at(20)
	// The node that leads the stream: its loss forces an election.
	nats, serve := c.NATS.StreamLeader(t, natslog.DefaultStream), c.Serves[0]
	faults.kill(nats, load.nAcked.Load())
	at(35)
	faults.kill(serve, load.nAcked.Load())
	at(50)
	faults.restart(nats, load.nAcked.Load())
	at(65)
	faults.restart(serve, load.nAcked.Load())
	select {
	case <-done:
	case <-time.After(10 * time.Minute):
		t.Fatalf("the load did not finish in 10 minutes (%d acknowledged)", load.nAcked.Load())
	}
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	sent := time.Since(start)
	t.Logf("%d reports acknowledged in %v (%.0f/s with the faults); %d sent twice, %d retries: %d connection errors, %d 502 from the front, %d 503",
		load.nAcked.Load(), sent.Round(time.Millisecond), float64(load.nAcked.Load())/sent.Seconds(),
		load.resent.Load(), load.retries.Load(), load.connErrors.Load(), load.badGateway.Load(), load.unavail.Load())

	seen, files := laketest.WaitForEvents(t, c.Blobs(t), total, time.Second)
	t.Logf("lake: %d distinct events in %d part files, %v after the start", len(seen), files, time.Since(start).Round(time.Millisecond))
	missing, twice := 0, 0
	for i := range load.acked {
		if load.acked[i].Load() && seen[eventID("cl", i)] == 0 {
			missing++
		}
	}
	for id, n := range seen {
		if n > 1 {
			twice++
			if twice <= 5 {
				t.Errorf("%s is in the lake %d times", id, n)
			}
		}
	}
	faults.table(fmt.Sprintf("%d acknowledged, %d distinct in the lake, %d missing, %d stored more than once", load.nAcked.Load(), len(seen), missing, twice))
	if missing > 0 || twice > 0 || len(seen) != int(load.nAcked.Load()) {
		t.Fatalf("%d acknowledged reports missing from the lake, %d stored more than once; lake %d distinct, acknowledged %d",
			missing, twice, len(seen), load.nAcked.Load())
	}
}

// eventID names playback report i of a load.
func eventID(load string, i int) string { return fmt.Sprintf("%s-%06d", load, i) }

// playbackReports are total plays named load-NNNNNN, 1 ms apart from
// base: a quarter anonymous, a third completed.
func playbackReports(load string, tokens, tracks []string, total int, base time.Time) []report {
	reports := make([]report, total)
	for i := range reports {
		if i%4 != 3 {
			reports[i].token = tokens[i%len(tokens)]
		}
		reports[i].body = reportBody(eventID(load, i), tracks[i%len(tracks)], fmt.Sprintf("s-%d", i/50),
			base.Add(time.Duration(i)*time.Millisecond), 31_000+i%200_000, i%3 == 0)
	}
	return reports
}
