package bleve_test

import (
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

func TestRelevance(t *testing.T) { searchtest.Relevance(t, open(t)) }
