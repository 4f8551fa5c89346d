//go:build cluster

package clustertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
)

// ingestTracks is the delivery's size: 15 s cuts of real music, enough
// work for a kill to land mid-encode.
const ingestTracks = 4

// ingestThroughWorkerKill ingests a delivery of real music while worker-1
// is killed with SIGKILL a few seconds in; it is restarted only after the
// other worker has finished the delivery alone. The release must end
// published once: the catalog holds exactly its tracks, and the store
// exactly the blobs the catalog names.
func ingestThroughWorkerKill(t *testing.T, c *Cluster) {
	delivery, rel := writeDelivery(t, 0, ingestTracks)
	label := strings.TrimSpace(c.Musicctl(t, time.Minute, nil, "users", "add", "cluster-label", "--role", "label"))
	env := []string{"MUSIC_TOKEN=" + label}
	start := time.Now()
	faults := &faultLog{t: t, start: start}
	c.Musicctl(t, 5*time.Minute, env, "ingest", delivery, "--no-wait", "--json", "--temporal-address", c.TemporalAddress(0))
	time.Sleep(3 * time.Second)
	victim := c.Workers[0]
	faults.kill(victim, 0)
	// Delivering the same message again follows the first run to its end.
	out := c.Musicctl(t, 20*time.Minute, env, "ingest", delivery, "--json", "--temporal-address", c.TemporalAddress(1))
	wall := time.Since(start)
	var res struct{ Reports []workflows.IngestReport }
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Reports) != 1 {
		t.Fatalf("ingest output %q: %v", out, err)
	}
	rep := res.Reports[0]
	faults.note(fmt.Sprintf("release %s %s with %d tracks", rep.ReleaseID, rep.Status, len(rep.Tracks)), int64(len(rep.Tracks)))
	if rep.Status != workflows.StatusPublished || len(rep.Tracks) != len(rel.Tracks) {
		t.Fatalf("report: %+v", rep)
	}
	faults.restart(victim, int64(len(rep.Tracks)))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cat, err := sqlstore.Open(ctx, c.CatalogDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	deliverytest.CheckStoreMatchesCatalog(t, cat, c.Blobs(t), len(rel.Tracks))
	t.Logf("%d tracks published in %.1f s wall (workflow %.1f s) with worker-1 killed", len(rep.Tracks), wall.Seconds(), rep.Seconds)
	faults.table(fmt.Sprintf("release %s, %d tracks; catalog and store agree: %t", rep.Status, len(rep.Tracks), !t.Failed()))
}

// writeDelivery writes a DDEX delivery of 15 s cuts of n test masters
// (tracks of at least 40 s) from the first'th on; deliveries of
// different masters are different releases with different audio.
func writeDelivery(t *testing.T, first, n int) (string, deliverytest.Release) {
	t.Helper()
	var masters []string
	for _, m := range testmusic.Files(t, "wav", "*.wav") {
		if fi, err := os.Stat(m); err == nil && fi.Size() > 40*44100*4 {
			masters = append(masters, m)
		}
	}
	if len(masters) < first+n {
		t.Fatalf("%d test masters, need %d; run `make fingerprint-music`", len(masters), first+n)
	}
	masters = masters[first:]
	work := t.TempDir()
	rel := deliverytest.Release{UPC: deliverytest.UPC(int64(2026 + first)), Title: fmt.Sprintf("Cluster Album %d", first)}
	for i := range n {
		src := filepath.Join(work, fmt.Sprintf("cut%02d.wav", i))
		out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "20", "-t", "15", "-i", masters[i], "-c:a", "pcm_s16le", src).CombinedOutput()
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
		rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: deliverytest.ISRC(26, 500+first+i),
			Title: strings.TrimSuffix(filepath.Base(masters[i]), ".wav"), Source: src})
	}
	delivery := filepath.Join(work, "delivery")
	if _, err := deliverytest.Write(delivery, rel); err != nil {
		t.Fatal(err)
	}
	return delivery, rel
}
