package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/sqlstore"
)

// TestLakeTastesWritesWhereTheBatchReads: `lake tastes` puts a planted
// world's plays into the data dir's lake and its tracks into the catalog
// DB, the two places the Recommendations batch reads, with every
// --recent-every-th artist's release three days before --as-of.
func TestLakeTastesWritesWhereTheBatchReads(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out, stderr, code := run(t, "lake", "tastes", "--data-dir", data, "--users", "30", "--tracks", "40", "--genres", "4",
		"--plays", "10", "--days", "7", "--as-of", "2026-03-02", "--recent-every", "2")
	if code != 0 {
		t.Fatalf("lake tastes: exit %d\n%s\n%s", code, out, stderr)
	}
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	items, _, err := cat.RecoItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recentDay := time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC).Unix() / 86400
	recent := map[string]bool{}
	for _, it := range items {
		if it.Released == recentDay {
			recent[it.Artists[0]] = true
		}
	}
	// 40 tracks, 10 per artist: artists 0 and 2 of 4 are recent.
	if len(items) != 40 || len(recent) != 2 {
		t.Fatalf("catalog: %d published tracks (want 40), recent artists %v (want 2)", len(items), recent)
	}
	blobs, err := filestore.Open(ctx, filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	played := 0
	add := func(user, track string, _ float32) { users[user] = true; played++ }
	from := time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC)
	if err := reco.ScanPlays(ctx, blobs, from, from.AddDate(0, 0, 7), 1, 0, 1, add, nil); err != nil {
		t.Fatal(err)
	}
	if len(users) != 30 || played < 30*10/2 {
		t.Fatalf("lake: %d users, %d plays in the 7 days before --as-of; want 30 users and about 300 plays", len(users), played)
	}
}
