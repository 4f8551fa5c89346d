package bleve_test

import (
	"context"
	"testing"

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
