//go:build cluster

package clustertest

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// badConfigRefused starts a third worker or serve with one setting that
// disagrees with the running deployment. Each must refuse to start with
// one line that names the setting, instead of joining and splitting it.
func badConfigRefused(t *testing.T, c *Cluster) {
	otherKey := hex.EncodeToString([]byte(strings.Repeat("k", 32)))
	cases := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"worker on a wrong Temporal namespace", nil,
			[]string{"--namespace", "nowhere", "worker", "--temporal-address", c.TemporalAddress(0), "--nats-replicas", natsReplicas},
			[]string{`--namespace "nowhere"`, "no such namespace"}},
		{"serve with another stream key", []string{"MUSIC_STREAM_KEY=" + otherKey},
			[]string{"serve", "--temporal-address", c.TemporalAddress(0), "--http", freeAddr(t), "--nats-replicas", natsReplicas},
			[]string{"stream key", "is not the one the deployment's other processes use"}},
		{"serve with fewer NATS replicas than the stream", []string{"MUSIC_STREAM_KEY=" + c.streamKey},
			[]string{"serve", "--temporal-address", c.TemporalAddress(0), "--http", freeAddr(t), "--nats-replicas", "1"},
			[]string{"--nats-replicas", "the stream has 3 replicas, this process asks for 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := c.startupFailure(t, tc.env, tc.args...)
			t.Logf("%s", msg)
			if strings.Count(msg, "\n") != 0 || strings.Contains(msg, "goroutine") {
				t.Fatalf("want one line, got:\n%s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
		})
	}
}

// startupFailure runs musicctl with the deployment's shared flags and
// args and env added, which must make it exit with an error within two
// minutes, and returns what it printed.
func (c *Cluster) startupFailure(t *testing.T, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bins.Musicctl, append(c.shared(filepath.Join(t.TempDir(), "data")), args...)...)
	cmd.Env = append(append(os.Environ(), c.Env()...), env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("still running after 2 minutes, want a refusal; output:\n%s", out)
	}
	if err == nil {
		t.Fatalf("exit 0, want a refusal; output:\n%s", out)
	}
	return strings.TrimRight(string(out), "\n")
}
