package main

import (
	"os"
	"testing"
)

// TestMain lets the tests run this test binary as musicctl itself
// (MUSICCTL_AS_MAIN=1), so process-level tests such as kill -9 need no
// separate build.
func TestMain(m *testing.M) {
	if os.Getenv("MUSICCTL_AS_MAIN") == "1" {
		os.Args = append([]string{"musicctl"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
