package search_test

import (
	"context"
	"path/filepath"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/search"
	"github.com/openmusic/music/sqlstore"
)

// searchEnv is a real SQLite catalog with three releases and a real Bleve
// index: rel-1 (2 tracks) and rel-2 (1 track, popularity 40) published,
// rel-3 pending. art-main is on all three.
func searchEnv(t *testing.T) (*sqlstore.Store, *bleve.Index) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p2 := catalogtest.Publication(2, 1)
	p2.Tracks[0].Popularity = 40
	p3 := catalogtest.Publication(3, 1)
	p3.Publish = false
	for _, p := range []music.Publication{catalogtest.Publication(1, 2), p2, p3} {
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatalf("PutRelease %s: %v", p.Release.ID, err)
		}
	}
	idx, err := bleve.Open(filepath.Join(t.TempDir(), "search"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return st, idx
}

// find returns the top hit of kind typ for text, nil when there is none.
func find(t *testing.T, idx music.SearchIndex, typ music.DocType, text string) *music.SearchHit {
	t.Helper()
	res, err := idx.Search(context.Background(), music.SearchQuery{Text: text, Types: []music.DocType{typ}, Limit: 5})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	return res.Top
}

func TestIndexRelease(t *testing.T) {
	ctx := context.Background()
	st, idx := searchEnv(t)
	index := func(id string) {
		t.Helper()
		if err := search.IndexRelease(ctx, st, idx, id); err != nil {
			t.Fatalf("IndexRelease %s: %v", id, err)
		}
	}
	count := func(want uint64) {
		t.Helper()
		if n, err := idx.DocCount(); err != nil || n != want {
			t.Fatalf("doc count %d (%v), want %d", n, err, want)
		}
	}
	for _, id := range []string{"rel-1", "rel-2", "rel-3"} {
		index(id)
	}
	// rel-1: album, 2 tracks; rel-2: album, 1 track; artists art-main,
	// art-feat-1, art-feat-2. Pending rel-3 and its guest are absent.
	count(8)
	index("rel-1")
	count(8) // idempotent

	if h := find(t, idx, music.DocTrack, "QZ0000101001"); h == nil || h.ID != "rel-1-d1t01" {
		t.Errorf("ISRC of a published track: got %+v", h)
	}
	if h := find(t, idx, music.DocTrack, "QZ0000301001"); h != nil {
		t.Errorf("ISRC of a pending track found: %+v", h)
	}
	if h := find(t, idx, music.DocAlbum, "album 2"); h == nil || h.ID != "rel-2" {
		t.Errorf("album 2: got %+v", h)
	}
	if h := find(t, idx, music.DocArtist, "guest 3"); h != nil && h.ID == "art-feat-3" {
		t.Errorf("guest of a pending release found")
	}
	// The main artist is as popular as their best published track, which
	// is on rel-2, whichever release was indexed last.
	if h := find(t, idx, music.DocArtist, "main band"); h == nil || h.ID != "art-main" || h.Popularity != 40 {
		t.Errorf("main band: got %+v, want art-main with popularity 40", h)
	}

	if err := st.TakedownRelease(ctx, "rel-2"); err != nil {
		t.Fatal(err)
	}
	index("rel-2")
	count(5) // album, track and guest of rel-2 gone
	if h := find(t, idx, music.DocAlbum, "album 2"); h != nil && h.ID == "rel-2" {
		t.Errorf("taken-down album still found")
	}
	if h := find(t, idx, music.DocArtist, "main band"); h == nil || h.Popularity != 7 {
		t.Errorf("main band after takedown of rel-2: got %+v, want popularity 7 from rel-1", h)
	}

	if err := st.TakedownRelease(ctx, "rel-1"); err != nil {
		t.Fatal(err)
	}
	index("rel-1")
	count(0) // the main artist has no published release left

	if err := st.PublishRelease(ctx, "rel-3"); err != nil {
		t.Fatal(err)
	}
	index("rel-3")
	count(4) // album, track, guest, and art-main again

	err := search.IndexRelease(ctx, st, idx, "no-such-release")
	if music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("unknown release: %v, want %s", err, music.ENOTFOUND)
	}
}

func TestCatalogDocs(t *testing.T) {
	ctx := context.Background()
	st, idx := searchEnv(t)
	var got []music.SearchDoc
	if err := search.CatalogDocs(ctx, st)(func(d music.SearchDoc) error {
		got = append(got, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	keys := map[string]music.SearchDoc{}
	for _, d := range got {
		if _, dup := keys[d.Key()]; dup {
			t.Errorf("%s yielded twice", d.Key())
		}
		keys[d.Key()] = d
	}
	for _, k := range []string{"album:rel-1", "album:rel-2", "track:rel-1-d1t01", "track:rel-1-d2t01", "track:rel-2-d1t01",
		"artist:art-main", "artist:art-feat-1", "artist:art-feat-2"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%s missing", k)
		}
	}
	if len(got) != 8 {
		t.Errorf("%d docs, want 8 (nothing of pending rel-3)", len(got))
	}
	if p := keys["artist:art-main"].Popularity; p != 40 {
		t.Errorf("art-main popularity %d, want 40 (max over releases)", p)
	}

	st2, err := idx.Reindex(ctx, search.CatalogDocs(ctx, st))
	if err != nil || st2.Docs != 8 {
		t.Fatalf("reindex from the catalog: %+v, %v", st2, err)
	}
	if h := find(t, idx, music.DocTrack, "QZ0000201001"); h == nil || h.ID != "rel-2-d1t01" {
		t.Errorf("after reindex: got %+v", h)
	}
}
