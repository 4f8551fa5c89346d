//go:build cluster

package clustertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Binaries are the executables the cluster runs.
type Binaries struct {
	Musicctl, Temporal, NATS, Redis string
}

// findBinaries locates musicctl and musicctl-temporal in
// $MUSIC_CLUSTER_BIN or the repository's bin/ (`make build`), nats-server
// in the cache `make nats-server` fills, and redis-server on $PATH.
func findBinaries() (Binaries, error) {
	binDir := os.Getenv("MUSIC_CLUSTER_BIN")
	if binDir == "" {
		_, here, _, _ := runtime.Caller(0)
		binDir = filepath.Join(filepath.Dir(here), "..", "..", "bin")
	}
	b := Binaries{Musicctl: filepath.Join(binDir, "musicctl"), Temporal: filepath.Join(binDir, "musicctl-temporal")}
	for _, p := range []string{b.Musicctl, b.Temporal} {
		if _, err := os.Stat(p); err != nil {
			return b, fmt.Errorf("%s: %w (run `make build`, or set MUSIC_CLUSTER_BIN to the directory holding musicctl and musicctl-temporal)", p, err)
		}
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return b, err
	}
	b.NATS = filepath.Join(cache, "musicctl", "bin", "nats-server")
	if _, err := os.Stat(b.NATS); err != nil {
		return b, fmt.Errorf("%s: %w (run `make nats-server`)", b.NATS, err)
	}
	if b.Redis, err = exec.LookPath("redis-server"); err != nil {
		return b, fmt.Errorf("redis-server: %w (Debian package redis-server; `make redis` installs it)", err)
	}
	return b, nil
}
