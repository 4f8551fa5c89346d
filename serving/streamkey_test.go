package serving

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestStreamKeyCreatedOnce: serving processes starting together on a
// fresh data dir all end up with the one key the file holds, never each
// with its own; the file is private to its owner.
func TestStreamKeyCreatedOnce(t *testing.T) {
	for round := range 20 {
		path := filepath.Join(t.TempDir(), "stream.key")
		const n = 8
		keys := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				keys[i], errs[i] = LoadStreamKey(path)
			}()
		}
		close(start)
		wg.Wait()
		onDisk, err := LoadStreamKey(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if errs[i] != nil || !bytes.Equal(keys[i], onDisk) {
				t.Fatalf("round %d: starter %d got key %x (%v), the file holds %x", round, i, keys[i], errs[i], onDisk)
			}
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("round %d: %s mode %v (%v), want 0600", round, path, fi.Mode(), err)
		}
	}
	bad := filepath.Join(t.TempDir(), "stream.key")
	if err := os.WriteFile(bad, []byte("not hex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadStreamKey(bad); err == nil {
		t.Error("a key file that is not hex was accepted")
	}
}
