package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmusic/music/temporalserver"
	"github.com/openmusic/music/temporalserver/launch"
)

// TestMain lets the tests run this test binary as musicctl itself
// (MUSICCTL_AS_MAIN=1), so process-level tests such as kill -9 need no
// separate build. It also stands in for musicctl-temporal, which `up`
// starts (through MUSIC_TEMPORAL_SERVER_BIN) under that name as argv[0];
// that executable's main is temporalserver.Main too.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == launch.ExecutableName {
		os.Exit(temporalserver.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if os.Getenv("MUSICCTL_AS_MAIN") == "1" {
		os.Args = append([]string{"musicctl"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	if self, err := os.Executable(); err == nil {
		os.Setenv("MUSIC_TEMPORAL_SERVER_BIN", self)
	}
	os.Exit(m.Run())
}
