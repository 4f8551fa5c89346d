//go:build cluster

package clustertest

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/openmusic/music/internal/miniotest"
)

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
