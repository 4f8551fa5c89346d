package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/openmusic/music/internal/miniotest"
)

// TestBadConfigOneLine checks that each kind of bad configuration fails
// with one line on stderr that names the setting, and no stack trace.
func TestBadConfigOneLine(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	minio := miniotest.Start(t)
	t.Setenv("MUSIC_S3_ACCESS_KEY", miniotest.AccessKey)
	t.Setenv("MUSIC_S3_SECRET_KEY", miniotest.SecretKey)

	cases := []struct {
		name string
		args []string
		env  []string
		want []string
	}{
		{"unreachable postgres", []string{"users", "list", "--db", "postgres://music@127.0.0.1:1/music"}, nil, []string{"--db", "127.0.0.1:1"}},
		{"db from env", []string{"users", "list"}, []string{"MUSIC_DB=postgres://music@127.0.0.1:1/music"}, []string{"MUSIC_DB"}},
		{"missing bucket", []string{"up", "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "",
			"--blob", "s3://no-such-bucket?path_style=true&endpoint=" + minio.Endpoint}, nil, []string{"--blob", "no-such-bucket"}},
		{"http port in use", []string{"up", "--http", busy.Addr().String(), "--temporal-listen", "127.0.0.1:0", "--ui-listen", ""}, nil, []string{"--http", "address already in use"}},
		{"temporal port in use", []string{"up", "--http", "127.0.0.1:0", "--temporal-listen", busy.Addr().String(), "--ui-listen", ""}, nil, []string{"--temporal-listen", "address already in use"}},
		{"bad blob scheme", []string{"up", "--blob", "ftp://x"}, nil, []string{"--blob", "file://DIR or s3://BUCKET"}},
		{"unreachable temporal", []string{"smoke", "--temporal-address", "127.0.0.1:1"}, nil, []string{"--temporal-address", "127.0.0.1:1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--data-dir", t.TempDir()}, tc.args...)
			cmd := musicctl(args...)
			cmd.Env = append(cmd.Env, tc.env...)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("exit 0, want failure; output %s", out)
			}
			msg := strings.TrimRight(string(out), "\n")
			if strings.Count(msg, "\n") != 0 || strings.Contains(msg, "goroutine") {
				t.Fatalf("want one line, got:\n%s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

// oneLineFailure runs a musicctl command that must fail at start-up with
// one line naming every part of want.
func oneLineFailure(t *testing.T, env []string, want []string, args ...string) {
	t.Helper()
	cmd := musicctl(args...)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("exit 0, want failure; output %s", out)
	}
	msg := strings.TrimRight(string(out), "\n")
	t.Logf("%s", msg)
	if strings.Count(msg, "\n") != 0 || strings.Contains(msg, "goroutine") {
		t.Fatalf("want one line, got:\n%s", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not mention %q", msg, w)
		}
	}
}

// startQuietUp runs `up` on a fresh data dir and returns that dir and the
// Temporal frontend's address.
func startQuietUp(t *testing.T) (dir, temporal string) {
	dir = t.TempDir()
	p := startUp(t, "--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "")
	return dir, p.ready["temporal"]
}

// TestBadConfigWrongTemporalNamespace: a worker given a namespace the
// cluster does not have refuses to start instead of polling it idly.
func TestBadConfigWrongTemporalNamespace(t *testing.T) {
	dir, temporal := startQuietUp(t)
	oneLineFailure(t, nil, []string{`--namespace "nowhere"`, "no such namespace", temporal},
		"--data-dir", t.TempDir(), "worker", "--db", filepath.Join(dir, "catalog.db"),
		"--blob", "file://"+filepath.Join(dir, "blobs"), "--temporal-address", temporal, "--namespace", "nowhere")
}

// TestBadConfigOtherStreamKey: a serve process on its own data dir gets a
// stream key of its own, not the one `up` recorded in the shared catalog,
// and refuses to start; with the same key it starts.
func TestBadConfigOtherStreamKey(t *testing.T) {
	dir, temporal := startQuietUp(t)
	args := []string{"serve", "--db", filepath.Join(dir, "catalog.db"), "--blob", "file://" + filepath.Join(dir, "blobs"),
		"--temporal-address", temporal, "--http", "127.0.0.1:0"}
	oneLineFailure(t, nil, []string{"stream.key", "is not the one the deployment's other processes use", "fingerprint"},
		append([]string{"--data-dir", t.TempDir()}, args...)...)
	key, err := os.ReadFile(filepath.Join(dir, "stream.key"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MUSIC_STREAM_KEY", strings.TrimSpace(string(key)))
	startServer(t, "serve", append([]string{"--data-dir", t.TempDir()}, args[1:]...)...)
}

// TestBadConfigNATSReplicas: a process asking for more playback-stream
// replicas than the NATS deployment has servers refuses to start (the
// refusal of fewer replicas than an existing stream has is
// natslog.TestFewerReplicasRefused: one server cannot hold a stream of 3).
func TestBadConfigNATSReplicas(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	oneLineFailure(t, nil, []string{"--nats-url", "--nats-replicas 3", "3 replicas asked for", ns.ClientURL()},
		"--data-dir", t.TempDir(), "up", "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "",
		"--nats-url", ns.ClientURL(), "--nats-replicas", "3")
}
