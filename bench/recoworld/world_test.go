package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/sqlstore"
)

var small = World{Tracks: 250, PerRelease: 100, Clusters: 5, Dim: 16, Seed: 3}

// The load writes every release a listener then sees, resumes where an
// earlier load stopped, and writes nothing on a rerun.
func TestLoadCatalogResumesAndListenersSeeEveryTrack(t *testing.T) {
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	if err := cat.PutRelease(ctx, small.Release(1)); err != nil { // an interrupted load's
		t.Fatal(err)
	}
	wrote, err := LoadCatalog(ctx, cat, small, nil)
	if err != nil || wrote != 2 {
		t.Fatalf("first load wrote %d releases (%v), want 2 of 3", wrote, err)
	}
	listener := music.Visibility{Territory: "US", At: time.Now()}
	for _, i := range []int{0, 99, 100, 249} {
		tr, err := cat.Track(ctx, small.trackID(i), listener)
		if err != nil {
			t.Fatalf("track %d: %v", i, err)
		}
		if tr.Genre != small.genre(i) || len(tr.Artists) != 1 || tr.Artists[0].ArtistID != small.artistID(i) {
			t.Errorf("track %d reads back as %+v", i, tr)
		}
	}
	if _, err := cat.Track(ctx, small.trackID(250), listener); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("track 250 of 250: %v, want ENOTFOUND", err)
	}
	if wrote, err := LoadCatalog(ctx, cat, small, nil); err != nil || wrote != 0 {
		t.Errorf("rerun wrote %d releases (%v), want 0", wrote, err)
	}
}

// The model lands where serving looks for it, once, and its vectors put
// a track's cluster-mates (same index mod Clusters) first.
func TestModelServesClusterMates(t *testing.T) {
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for want := range []bool{true, false} {
		saved, err := SaveModel(ctx, blobs, small, func() *reco.Model { return small.Model(time.Now()) })
		if err != nil || saved != (want == 0) {
			t.Fatalf("save %d: wrote %v (%v)", want+1, saved, err)
		}
	}
	live := &reco.Live{}
	if err := live.Refresh(ctx, blobs); err != nil {
		t.Fatal(err)
	}
	o := live.Get()
	if o == nil || len(o.Model.Items) != small.Tracks || o.Model.Factors.N != small.Tracks {
		t.Fatalf("serving loaded %+v", o)
	}
	seed, _ := o.Track(small.trackID(7))
	got, err := o.Recommend([]int{seed}, 10, func(int) bool { return false }, func(ids []int) ([]int, error) { return ids, nil })
	if err != nil {
		t.Fatal(err)
	}
	mates := 0
	for _, i := range got {
		if i%small.Clusters == seed%small.Clusters {
			mates++
		}
	}
	if len(got) != 10 || mates < 9 {
		t.Errorf("seed %d: %d recommendations, %d from its cluster: %v", seed, len(got), mates, got)
	}
}
