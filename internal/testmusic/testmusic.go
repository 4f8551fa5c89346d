// Package testmusic finds the real test music that
// scripts/fetch-test-music.sh prepares (Debian's wesnoth-1.16-music,
// GPL-2+), so tests of the audio pipeline run on real recordings.
package testmusic

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Dir returns the cache sub-directory sub ("wav", "cuts", "flac", …) under
// $MUSIC_TEST_CACHE or ~/.cache/musicctl/music, or skips the test with a
// notice naming the make target that fetches it.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	base := os.Getenv("MUSIC_TEST_CACHE")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache", "musicctl", "music")
	}
	dir := filepath.Join(base, sub)
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) == 0 {
		t.Skipf("NOTICE: no test music in %s; run `make fingerprint-music` (scripts/fetch-test-music.sh wav)", dir)
	}
	return dir
}

// Files lists the files in Dir(t, sub) matching pattern, in name order.
func Files(t testing.TB, sub, pattern string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(Dir(t, sub), pattern))
	sort.Strings(m)
	return m
}
