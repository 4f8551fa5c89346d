package bleve_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	blevelib "github.com/blevesearch/bleve/v2"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
)

func open(t *testing.T) music.SearchIndex {
	t.Helper()
	idx, err := bleve.Open(t.TempDir(), bleve.Options{Now: searchtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestConformance(t *testing.T) { searchtest.Run(t, open) }

// TestReopen checks that the index and the result of a Reindex survive a
// restart: CURRENT names the swapped-in directory.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	idx, err := bleve.Open(dir, bleve.Options{Now: searchtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := searchtest.Catalog()
	if _, err := idx.Reindex(ctx, searchtest.Slice(docs)); err != nil {
		t.Fatal(err)
	}
	name := idx.Name()
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := idx.Search(ctx, music.SearchQuery{Text: "halo", Limit: 1}); music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("search after close: %v", err)
	}
	idx, err = bleve.Open(dir, bleve.Options{Now: searchtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if idx.Name() != name {
		t.Fatalf("reopened %q, want %q", idx.Name(), name)
	}
	n, err := idx.DocCount()
	if err != nil || n != uint64(len(docs)) {
		t.Fatalf("doc count %d (%v), want %d", n, err, len(docs))
	}
}

// TestOldLayout replaces an index of the earlier one-index-for-all-kinds
// layout with an empty one instead of failing: the index is derived data
// and `musicctl reindex` refills it.
func TestOldLayout(t *testing.T) {
	dir := t.TempDir()
	old, err := blevelib.New(filepath.Join(dir, "idx-old"), blevelib.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	if err := os.WriteFile(filepath.Join(dir, "CURRENT"), []byte("idx-old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.Open(dir, bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if idx.Name() == "idx-old" {
		t.Fatal("old layout still serving")
	}
	if _, err := os.Stat(filepath.Join(dir, "idx-old")); !os.IsNotExist(err) {
		t.Errorf("old layout left on disk: %v", err)
	}
	if err := idx.Index(context.Background(), music.SearchDoc{Type: music.DocArtist, ID: "a", Title: "Abba"}); err != nil {
		t.Fatal(err)
	}
}

// TestHeld refuses, quickly and clearly, an index another opener holds.
func TestHeld(t *testing.T) {
	dir := t.TempDir()
	idx, err := bleve.Open(dir, bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	start := time.Now()
	_, err = bleve.Open(dir, bleve.Options{})
	if music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("second open: %v, want %s", err, music.EUNAVAILABLE)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("refusal took %s", d)
	}
}
