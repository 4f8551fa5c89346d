package reco

import (
	"context"
	"testing"

	"github.com/openmusic/music/filestore"
)

// Refresh tells OnLoad what it installed, once per new model.
func TestLiveReportsEachModelItLoads(t *testing.T) {
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{
		Items:   []Item{{ID: "t0"}, {ID: "t1"}, {ID: "t2"}},
		Factors: Factors{N: 3, K: 2, Data: []float64{1, 0, 0, 1, 1, 1}},
		Popular: []int32{2, 0, 1},
	}
	if err := SaveModel(ctx, blobs, "reco/runs/x/model.gob", m); err != nil {
		t.Fatal(err)
	}
	var loads []Loaded
	l := &Live{OnLoad: func(x Loaded) { loads = append(loads, x) }}
	for range 2 {
		if err := l.Refresh(ctx, blobs); err != nil {
			t.Fatal(err)
		}
	}
	if len(loads) != 1 {
		t.Fatalf("%d loads reported for one model, want 1: %+v", len(loads), loads)
	}
	if got := loads[0]; got.Key != "reco/runs/x/model.gob" || got.Items != 3 || got.Search != "exact" || got.Took <= 0 {
		t.Errorf("reported %+v", got)
	}
	if l.Get().Search() != "exact" {
		t.Errorf("installed model searches by %q", l.Get().Search())
	}
}
