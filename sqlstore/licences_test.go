package sqlstore

import (
	"context"
	"fmt"
	"reflect"
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

// TracksByID reads a list as Track reads each of it: the same tracks,
// credits and renditions, nothing a listener may not see, and more ids
// than one query takes.
func TestTracksByIDReadsAsTrackDoes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	for n := 1; n <= 2; n++ {
		p := catalogtest.Publication(n, 3)
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, tr := range p.Tracks {
			ids = append(ids, tr.ID)
		}
	}
	if err := st.TakedownRelease(ctx, "rel-2"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < visibleIDsPerQuery; i++ {
		ids = append([]string{fmt.Sprintf("unknown-%d", i)}, ids...)
	}
	v := music.Visibility{Territory: "US"}
	got, err := st.TracksByID(ctx, ids, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d tracks, want rel-1's 3: %v", len(got), got)
	}
	for _, id := range ids {
		one, err := st.Track(ctx, id, v)
		if music.ErrorCode(err) == music.ENOTFOUND {
			if got[id] != nil {
				t.Errorf("%s: read by list, not by Track", id)
			}
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[id], one) {
			t.Errorf("%s: by list %+v\nby Track %+v", id, got[id], one)
		}
	}
}
