package filestore

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music"
)

func openStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCleanupRemovesOnlyAbandonedTemps(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// A crashed writer's leftover: a temp file nobody holds a lock on.
	if err := os.WriteFile(filepath.Join(s.tmp, "put-crashed"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A live writer's temp file: locked.
	live, err := s.createTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()

	n, err := s.Cleanup(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Cleanup = %d, %v; want 1 removed", n, err)
	}
	if _, err := os.Stat(filepath.Join(s.tmp, "put-crashed")); !os.IsNotExist(err) {
		t.Fatalf("abandoned temp still there: %v", err)
	}
	if _, err := os.Stat(live.Name()); err != nil {
		t.Fatalf("live writer's temp removed: %v", err)
	}
	// Reopening the store cleans up too, and temps are never listed.
	if err := os.WriteFile(filepath.Join(s.tmp, "put-crashed2"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.tmp, "put-crashed2")); !os.IsNotExist(err) {
		t.Fatalf("Open left the abandoned temp: %v", err)
	}
	s2.List(ctx, "", func(bi music.BlobInfo) error {
		t.Errorf("listed %q in a store with only temp files", bi.Key)
		return nil
	})
}

func TestKeyPrefixClash(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.Put(ctx, "a/b", strings.NewReader("x"), music.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Put(ctx, "a", strings.NewReader("y"), music.PutOptions{})
	if music.ErrorCode(err) != music.ECONFLICT {
		t.Fatalf("Put over a prefix = %v, want ECONFLICT", err)
	}
	_, err = s.Put(ctx, "a/b/c", strings.NewReader("y"), music.PutOptions{})
	if music.ErrorCode(err) != music.ECONFLICT {
		t.Fatalf("Put under an object = %v, want ECONFLICT", err)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete of a prefix: %v", err)
	}
	if _, err := s.Stat(ctx, "a/b"); err != nil {
		t.Fatalf("Delete of the prefix removed the object: %v", err)
	}
	// Deleting the last object prunes its directories.
	if err := s.Delete(ctx, "a/b"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "a")); !os.IsNotExist(err) {
		t.Fatalf("empty directory a left behind: %v", err)
	}
	if _, err := s.Put(ctx, "a", strings.NewReader("y"), music.PutOptions{}); err != nil {
		t.Fatalf("Put a after pruning: %v", err)
	}
}

func TestOpenFileServesRanges(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	body := bytes.Repeat([]byte("0123456789"), 100)
	if _, err := s.Put(ctx, "audio/t.ogg", bytes.NewReader(body), music.PutOptions{ContentType: "audio/ogg"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, info, err := s.OpenFile(r.Context(), "audio/t.ogg")
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", info.ContentType)
		w.Header().Set("ETag", `"`+info.SHA256+`"`)
		http.ServeContent(w, r, "", info.ModTime, f)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Range", "bytes=995-")
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || string(got) != "56789" || resp.Header.Get("Content-Type") != "audio/ogg" {
		t.Fatalf("range response %d %q type %q", resp.StatusCode, got, resp.Header.Get("Content-Type"))
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"", file} {
		_, err := Open(context.Background(), d)
		if err == nil {
			t.Fatalf("Open(%q) succeeded", d)
		}
		if strings.Contains(err.Error(), "\n") || (d != "" && !strings.Contains(err.Error(), d)) {
			t.Fatalf("Open(%q) error %q: want one line naming the directory", d, err)
		}
	}
}

func TestForeignFileIsNotTrusted(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// A file dropped in by hand has no digest, so it cannot be verified:
	// reading it is an error naming the key.
	if err := os.WriteFile(filepath.Join(s.Dir(), "handmade"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(ctx, "handmade"); err == nil || !strings.Contains(err.Error(), "handmade") {
		t.Fatalf("Stat of a file without digest = %v", err)
	}
}
