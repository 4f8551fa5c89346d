//go:build cluster

package clustertest

import (
	"os"
	"testing"
	"time"
)

// TestClusterUp brings the deployment up and checks the front answers.
// With MUSIC_CLUSTER_HOLD=DURATION (make cluster) it then prints the
// addresses and keeps everything running that long, or until interrupted.
func TestClusterUp(t *testing.T) {
	c := Start(t, Options{})
	c.checkFront(t)
	if hold := os.Getenv("MUSIC_CLUSTER_HOLD"); hold != "" {
		c.hold(t, hold)
	}
}

// TestClusterFaults runs the fault scenarios one after the other on one
// deployment (starting it takes minutes): the ingest first, because it
// checks that the catalog holds exactly the delivery's tracks.
func TestClusterFaults(t *testing.T) {
	c := Start(t, Options{})
	t.Run("ingest while a worker is killed", func(t *testing.T) { ingestThroughWorkerKill(t, c) })
	tokens, tracks := c.SeedListeners(t, "listener", 20, 20)
	// Every report is played in one month, in the past, 1 ms apart.
	base := time.Now().Add(-10 * time.Minute).UTC()
	if base.Month() != time.Now().UTC().Month() {
		base = time.Now().UTC().Truncate(time.Minute).Add(-time.Minute)
	}
	t.Run("playback while a NATS node and a serve are killed", func(t *testing.T) { playbackThroughFaults(t, c, tokens, tracks, base) })
	t.Run("playlist edits through both serves", func(t *testing.T) { playlistEditsAcrossServes(t, c, tokens[0], tracks) })
	t.Run("royalty month while a Temporal server is killed", func(t *testing.T) {
		royaltyMonthThroughTemporalKill(t, c, base)
	})
	t.Run("bad configuration refused at start-up", func(t *testing.T) { badConfigRefused(t, c) })
}
