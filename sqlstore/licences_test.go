package sqlstore

import (
	"context"
	"fmt"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
)

// More ids than one query takes are answered whole: the seed route asks
// about every candidate of a request at once.
func TestVisibleIDsAnswersManyIDs(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	for n := 1; n <= 3; n++ {
		p := catalogtest.Publication(n, 2)
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, tr := range p.Tracks {
			ids = append(ids, tr.ID)
		}
	}
	visible := len(ids)
	for i := len(ids); i < 3*visibleIDsPerQuery; i++ {
		ids = append(ids, fmt.Sprintf("unknown-%d", i))
	}
	ids = append(ids[visible:], ids[:visible]...) // the known ones last, in the third query
	got, err := st.VisibleIDs(ctx, music.DocTrack, ids, music.Visibility{Territory: "US"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != visible {
		t.Fatalf("%d of %d ids visible, want the %d tracks: %v", len(got), len(ids), visible, got)
	}
	for _, id := range ids[len(ids)-visible:] {
		if !got[id] {
			t.Errorf("track %s not reported visible", id)
		}
	}
}
