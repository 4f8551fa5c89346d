package blobfile

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
)

// A folder goes up file by file under the prefix, symlinks left out, and
// each object comes back down byte for byte, its directory made.
func TestPutDirThenCopyToFile(t *testing.T) {
	ctx := context.Background()
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	files := map[string]string{"a.xml": "<ern/>", "resources/1.flac": "fLaC..."}
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	if err := PutDir(ctx, store, src, "incoming/d1/"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := store.List(ctx, "", func(b music.BlobInfo) error { keys = append(keys, b.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0] != "incoming/d1/a.xml" || keys[1] != "incoming/d1/resources/1.flac" {
		t.Fatalf("stored keys %q, want the two regular files under the prefix", keys)
	}
	dst := t.TempDir()
	for name, body := range files {
		out := filepath.Join(dst, "copy", filepath.FromSlash(name))
		if err := CopyToFile(ctx, store, "incoming/d1/"+name, out); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(out); err != nil || string(got) != body {
			t.Errorf("%s came back as %q (%v), want %q", name, got, err, body)
		}
	}
	if err := CopyToFile(ctx, store, "incoming/d1/missing", filepath.Join(dst, "m")); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("copying a missing key: %v, want ENOTFOUND", err)
	}
}
