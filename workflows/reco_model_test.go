package workflows

import (
	"context"
	"sync"
	"testing"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/reco"
)

// A worker's lists activities share one loaded model: concurrent parts
// of one batch get the same copy, the next batch's model replaces it,
// and a failed load is not kept.
func TestListsShareOneModel(t *testing.T) {
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"reco/runs/a/model.gob", "reco/runs/b/model.gob"} {
		m := &reco.Model{Items: []reco.Item{{ID: "t1"}, {ID: key}}}
		if err := reco.SaveModel(ctx, blobs, key, m); err != nil {
			t.Fatal(err)
		}
	}
	var s sharedModel
	got := make([]*reco.Model, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, index, err := s.get(ctx, blobs, "reco/runs/a/model.gob")
			if err != nil || index["t1"] != 0 || index["reco/runs/a/model.gob"] != 1 {
				t.Errorf("get: %v, index %v", err, index)
			}
			got[i] = m
		}()
	}
	wg.Wait()
	for _, m := range got[1:] {
		if m != got[0] {
			t.Fatal("parts of one batch got different copies of the model")
		}
	}
	b, _, err := s.get(ctx, blobs, "reco/runs/b/model.gob")
	if err != nil || b == got[0] || b.Items[1].ID != "reco/runs/b/model.gob" {
		t.Fatalf("the next batch's model: %v, %+v", err, b)
	}
	if _, _, err := s.get(ctx, blobs, "reco/runs/missing/model.gob"); err == nil {
		t.Fatal("a missing model loaded")
	}
	if s.m != nil {
		t.Fatal("the model of a failed load's predecessor is still held")
	}
}
