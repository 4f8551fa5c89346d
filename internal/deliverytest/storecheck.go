package deliverytest

import (
	"context"
	"sort"
	"testing"

	music "github.com/openmusic/music"
)

// TrackLister is the part of the catalog CheckStoreMatchesCatalog reads.
type TrackLister interface {
	Track(ctx context.Context, id string, v music.Visibility) (*music.Track, error)
	Tracks(ctx context.Context, afterID string, limit int) ([]music.Track, error)
}

// CheckStoreMatchesCatalog checks an ingest's end state: the catalog holds
// n tracks with a rendition per rung each, every blob is re-hashed from
// the store, and no blob under audio/, masters/ or incoming/ is one the
// catalog does not name.
func CheckStoreMatchesCatalog(t testing.TB, cat TrackLister, blobs music.BlobStore, n int) {
	t.Helper()
	ctx := context.Background()
	tracks, err := cat.Tracks(ctx, "", 1000)
	if err != nil || len(tracks) != n {
		t.Fatalf("catalog holds %d tracks (%v), want %d", len(tracks), err, n)
	}
	want := map[string]string{}
	for _, tr := range tracks {
		full, err := cat.Track(ctx, tr.ID, music.Visibility{})
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Renditions) != len(music.Rungs) {
			t.Errorf("%s: %d renditions", tr.ID, len(full.Renditions))
		}
		for _, r := range full.Renditions {
			want[r.BlobKey] = r.SHA256
		}
		want[full.MasterKey] = full.MasterSHA256
	}
	var got []string
	for _, prefix := range []string{"audio/", "masters/", "incoming/"} {
		if err := blobs.List(ctx, prefix, func(b music.BlobInfo) error {
			got = append(got, b.Key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(got)
	if len(got) != len(want) {
		t.Errorf("store holds %d blobs, catalog names %d: %v", len(got), len(want), got)
	}
	for _, k := range got {
		sum, ok := want[k]
		if !ok {
			t.Errorf("orphaned blob %s", k)
			continue
		}
		rc, _, err := blobs.Get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		h, err := SHA256Reader(rc)
		rc.Close()
		if err != nil || h != sum {
			t.Errorf("%s: stored SHA-256 %s, catalog %s (%v)", k, h, sum, err)
		}
	}
}
