package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfflineNowFlag: --now runs the offline store's clock from the time
// given, so prune sees a licence lapse without waiting a month.
func TestOfflineNowFlag(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tracks"), 0o700); err != nil {
		t.Fatal(err)
	}
	index := `{"tracks":{"trk-1":{"track_id":"trk-1","rung":"160","object_key":"offline/trk-1/k/160.mofl",
		"expires_at":"2030-01-31T00:00:00Z","downloaded_at":"2030-01-01T00:00:00Z"}}}`
	for path, body := range map[string]string{"index.json": index, "tracks/trk-1.mofl": "sealed"} {
		if err := os.WriteFile(filepath.Join(dir, path), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := runMusicctl(t, "offline", "prune", dir, "--now", "2030-01-10T00:00:00Z"); err != nil || !strings.Contains(out, "pruned 0 tracks and episodes, 1 held") {
		t.Fatalf("prune inside the licence: %q, %v", out, err)
	}
	if out, err := runMusicctl(t, "offline", "prune", dir, "--now", "2030-02-01T00:00:00Z"); err != nil || !strings.Contains(out, "pruned 1 tracks and episodes, 0 held") {
		t.Fatalf("prune after the licence lapsed: %q, %v", out, err)
	}
	if _, err := runMusicctl(t, "offline", "prune", dir, "--now", "tomorrow"); err == nil || !strings.Contains(err.Error(), `--now: clock "tomorrow": want an RFC 3339 time`) {
		t.Fatalf("a bad --now: %v", err)
	}
	if out, _ := runMusicctl(t, "offline", "prune", "--help"); strings.Contains(out, "--now") {
		t.Fatalf("--now is shown in the help:\n%s", out)
	}
}
