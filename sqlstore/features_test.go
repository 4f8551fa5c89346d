package sqlstore

import (
	"context"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
)

// Audio features round-trip, survive a write that carries none (a
// metadata update), and the backlog lists exactly the tracks whose
// features are missing or older than asked.
func TestAudioFeaturesStorage(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := catalogtest.Publication(1, 3)
	if err := st.PutRelease(ctx, p); err != nil {
		t.Fatal(err)
	}
	want := *p.Tracks[0].AudioFeatures
	again := catalogtest.Publication(1, 3)
	for i := range again.Tracks {
		again.Tracks[i].AudioFeatures = nil
	}
	if err := st.PutRelease(ctx, again); err != nil {
		t.Fatal(err)
	}
	got, err := st.Track(ctx, p.Tracks[0].ID, music.Visibility{})
	if err != nil || got.AudioFeatures == nil || *got.AudioFeatures != want {
		t.Fatalf("after a write without features: %v %+v, want %+v", err, got.AudioFeatures, want)
	}
	if err := st.SetAudioFeatures(ctx, p.Tracks[1].ID, music.AudioFeatures{Version: 2, Tempo: 99}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetAudioFeatures(ctx, "nope", music.AudioFeatures{}); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("unknown track: %v, want not found", err)
	}
	todo, last, err := st.FeatureBacklog(ctx, "", 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Tracks are rel-1-d2t01, rel-1-d1t02 (now version 2), rel-1-d1t01.
	if len(todo) != 2 || todo[0].ID != "rel-1-d1t01" || todo[1].ID != "rel-1-d2t01" || todo[0].MasterKey == "" || last != "rel-1-d2t01" {
		t.Fatalf("backlog %+v last %q", todo, last)
	}
	if todo, last, err = st.FeatureBacklog(ctx, last, 2, 10); err != nil || len(todo) != 0 || last != "" {
		t.Fatalf("past the end: %v %q %v", todo, last, err)
	}
}
