//go:build cluster

package clustertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/internal/miniotest"
	"github.com/openmusic/music/internal/pgtest"
)

// Sizes of the deployment.
const (
	temporalServers = 2
	minioDrives     = 4
	natsReplicas    = "3"
	// lakeFlush is short so the lake catches up soon after the last report.
	lakeFlush = "300ms"
	// pgMaxConnections: two idle Temporal servers alone hold about 80
	// connections. With PostgreSQL's default of 100, a serve once answered
	// a playback report with 500 (nothing in its log); the limit is the
	// likely cause, not a proven one.
	pgMaxConnections = "400"
)

// Options size one cluster.
type Options struct {
	Workers, Serves int // 2 each when 0
}

// Cluster is a running deployment. Every field names a process (or a
// group of them) a test may kill and restart.
type Cluster struct {
	Dir        string
	Bins       Binaries
	PG         *pgtest.Cluster
	CatalogDSN string
	Temporal   []*Proc
	NATS       *NATS
	MinIO      *miniotest.Server
	Redis      *Proc
	RedisURL   string
	Workers    []*Proc
	Serves     []*Proc
	Front      *Front
	streamKey  string // hex; every serve gets the same one
	started    time.Time
}

// Start brings the whole deployment up and returns once every process is
// ready (its ready line, or its health probe) and the front listens;
// everything is stopped when the test ends.
func Start(t *testing.T, opts Options) *Cluster {
	t.Helper()
	opts.Workers, opts.Serves = cmp0(opts.Workers, 2), cmp0(opts.Serves, 2)
	bins, err := findBinaries()
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{Dir: logDir(t), Bins: bins, started: time.Now()}
	c.PG = pgtest.Start(t, "max_connections="+pgMaxConnections)
	c.CatalogDSN = c.PG.CreateDB(t, "music")
	// The Temporal servers start together on the fresh database, as a
	// deployment's would; they take turns through the advisory lock that
	// temporalserver holds until each is up.
	for i := range temporalServers {
		c.Temporal = append(c.Temporal, c.launchTemporal(t, i))
	}
	c.NATS = startNATS(t, bins.NATS, c.Dir)
	c.MinIO = miniotest.StartDrives(t, minioDrives)
	c.Redis, c.RedisURL = startRedis(t, bins.Redis, c.Dir)
	for _, s := range c.Temporal {
		s.WaitReady(t)
	}
	c.NATS.waitReady(t)
	key := make([]byte, 32)
	rand.Read(key)
	c.streamKey = hex.EncodeToString(key)
	for i := range opts.Workers {
		c.Workers = append(c.Workers, startProc(t, c.Dir, c.workerSpec(i)))
	}
	var addrs []string
	for i := range opts.Serves {
		addr := freeAddr(t)
		addrs = append(addrs, addr)
		c.Serves = append(c.Serves, startProc(t, c.Dir, c.serveSpec(i, addr)))
	}
	c.Front = startFront(t, addrs)
	t.Logf("cluster up in %v: front %s", time.Since(c.started).Round(time.Millisecond), c.Front.URL)
	return c
}

// logDir makes the directory of every process's log and data. It is
// removed after a passing test and kept after a failing one.
func logDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "musiccluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster logs in %s", dir)
	// Registered first, so it runs after every process has stopped.
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("cluster logs kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// cmp0 is v, or def when v is 0.
func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// launchTemporal starts Temporal server i on the shared PostgreSQL
// database without waiting for it; the servers join one membership ring.
func (c *Cluster) launchTemporal(t testing.TB, i int) *Proc {
	t.Helper()
	level := os.Getenv("MUSIC_CLUSTER_TEMPORAL_LOG")
	if level == "" {
		level = "info"
	}
	spec := Spec{Name: fmt.Sprintf("temporal-%d", i+1), Bin: c.Bins.Temporal, HoldStdin: true,
		Args: []string{"-db", c.PG.DSN("temporal"), "-frontend", freeAddr(t), "-ui", "", "-log-level", level}}
	p := &Proc{Spec: spec, Log: filepath.Join(c.Dir, spec.Name+".log")}
	p.launch(t)
	t.Cleanup(p.Stop)
	return p
}

// TemporalAddress is the frontend of Temporal server i.
func (c *Cluster) TemporalAddress(i int) string {
	return c.Temporal[i%len(c.Temporal)].Ready["frontend"]
}

// BlobURL is the --blob of every process: the MinIO bucket.
func (c *Cluster) BlobURL() string {
	return "s3://" + c.MinIO.Bucket + "?path_style=true&endpoint=" + c.MinIO.Endpoint
}

// Env is the environment every musicctl process gets: S3 credentials
// never go on a command line.
func (c *Cluster) Env() []string {
	return []string{"MUSIC_S3_ACCESS_KEY=" + miniotest.AccessKey, "MUSIC_S3_SECRET_KEY=" + miniotest.SecretKey}
}

// shared are the flags every musicctl process of the deployment gives
// alike: one catalog, blob store, event log and Redis.
func (c *Cluster) shared(dataDir string) []string {
	return []string{"--data-dir", dataDir, "--db", c.CatalogDSN, "--blob", c.BlobURL(),
		"--nats-url", c.NATS.URLs(), "--redis-url", c.RedisURL}
}

// workerSpec is `musicctl worker` number i, on Temporal server i.
func (c *Cluster) workerSpec(i int) Spec {
	name := fmt.Sprintf("worker-%d", i+1)
	args := append(c.shared(filepath.Join(c.Dir, name)), "worker", "--temporal-address", c.TemporalAddress(i),
		"--nats-replicas", natsReplicas, "--lake-flush", lakeFlush)
	return Spec{Name: name, Bin: c.Bins.Musicctl, Args: args, Env: c.Env()}
}

// serveSpec is `musicctl serve` number i on addr, on Temporal server i,
// with the deployment's stream key in its environment (not on the
// command line, where other users could read it). Rate limits are off: every report of the load comes from a few tokens.
func (c *Cluster) serveSpec(i int, addr string) Spec {
	name := fmt.Sprintf("serve-%d", i+1)
	args := append(c.shared(filepath.Join(c.Dir, name)), "serve", "--temporal-address", c.TemporalAddress(i),
		"--http", addr, "--nats-replicas", natsReplicas, "--rate-limit", "0", "--rate-limit-reports", "0")
	return Spec{Name: name, Bin: c.Bins.Musicctl, Args: args, Env: append(c.Env(), "MUSIC_STREAM_KEY="+c.streamKey)}
}

// Musicctl runs a short musicctl command against the deployment (the
// shared flags first) and returns its stdout; a failure or a run longer
// than limit fails the test.
func (c *Cluster) Musicctl(t testing.TB, limit time.Duration, env []string, args ...string) string {
	t.Helper()
	out, err := c.tryMusicctl(limit, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tryMusicctl is Musicctl returning the failure; it may run outside the
// test's goroutine.
func (c *Cluster) tryMusicctl(limit time.Duration, env []string, args ...string) (string, error) {
	return runMusicctl(c.Bins.Musicctl, limit, append(c.Env(), env...), c.shared(filepath.Join(c.Dir, "cli")), args)
}

// runMusicctl runs bin with flags then args, and env added to this
// process's environment, and returns its stdout; the error names args
// (not flags) and holds the output.
func runMusicctl(bin string, limit time.Duration, env, flags, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(slices.Clip(flags), args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("musicctl %s: %v (limit %s)\n%s%s", strings.Join(args, " "), err, limit, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}
