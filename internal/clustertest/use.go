//go:build cluster

package clustertest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobstore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/miniotest"
	"github.com/openmusic/music/sqlstore"
)

// SeedListeners stores a release of nTracks tracks and nUsers listeners
// named prefix0… in the shared catalog and returns their tokens and the
// track IDs.
func (c *Cluster) SeedListeners(t testing.TB, prefix string, nUsers, nTracks int) (tokens, tracks []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := sqlstore.Open(ctx, c.CatalogDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, tracks, err = catalogtest.SeedListeners(ctx, st, prefix, nUsers, nTracks)
	if err != nil {
		t.Fatal(err)
	}
	return tokens, tracks
}

// Blobs opens the shared blob store (the MinIO bucket).
func (c *Cluster) Blobs(t testing.TB) music.BlobStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := blobstore.Open(ctx, c.BlobURL(), blobstore.Credentials{AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkFront asks every serve, through the front, whether it is ready.
func (c *Cluster) checkFront(t testing.TB) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	for range c.Serves {
		resp, err := client.Get(c.Front.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("front /readyz: %s %s", resp.Status, body)
		}
	}
}

// hold prints where everything runs and keeps the cluster up for the
// duration, or until SIGINT or SIGTERM.
func (c *Cluster) hold(t testing.TB, duration string) {
	t.Helper()
	d, err := time.ParseDuration(duration)
	if err != nil {
		t.Fatalf("MUSIC_CLUSTER_HOLD=%q: want a duration such as 1h: %v", duration, err)
	}
	fmt.Fprintf(os.Stderr, "cluster up (logs in %s):\n  front      %s\n  catalog    %s\n  blob       %s\n  nats       %s\n  redis      %s\n",
		c.Dir, c.Front.URL, c.CatalogDSN, c.BlobURL(), c.NATS.URLs(), c.RedisURL)
	for i := range c.Temporal {
		fmt.Fprintf(os.Stderr, "  temporal   %s\n", c.TemporalAddress(i))
	}
	for _, s := range c.Serves {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", s.Name, s.Ready["http"])
	}
	fmt.Fprintf(os.Stderr, "for more processes: MUSIC_S3_ACCESS_KEY=%s MUSIC_S3_SECRET_KEY=%s MUSIC_STREAM_KEY=%s\nholding for %s (Ctrl-C stops)\n",
		miniotest.AccessKey, miniotest.SecretKey, c.streamKey, d)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case <-sig:
	case <-time.After(d):
	}
}
