package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFreshDataDir runs commands that open state on a data dir that does
// not exist yet: each creates it, owner-only.
func TestFreshDataDir(t *testing.T) {
	for _, args := range [][]string{
		{"users", "add", "alice"},
		{"users", "list"},
		{"royalty", "pool", "set", "--month", "2026-03", "--territory", "GB", "--amount", "10"},
		{"search", "anything"},
	} {
		t.Run(args[0], func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "new", "musicdata")
			out, errOut, code := run(t, append(args, "--data-dir", dir)...)
			if code != 0 {
				t.Fatalf("%v: exit %d, out %q, err %q", args, code, out, errOut)
			}
			fi, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o700 {
				t.Errorf("data dir mode %v, want 0700", perm)
			}
			if args[1] == "add" && !strings.HasPrefix(out, "mt_") {
				t.Errorf("users add printed %q, want a token", out)
			}
		})
	}
}
