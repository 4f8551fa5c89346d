package connect

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// The shuffle can only avoid tempo jumps if the tracks it is given carry
// the measured tempo; tracks without audio features have none.
func TestTrackInfoCarriesFeatures(t *testing.T) {
	with := &music.Track{ID: "t1", Genre: "Rock", Duration: 3 * time.Second,
		Artists:       []music.ArtistCredit{{ArtistID: "a1"}},
		AudioFeatures: &music.AudioFeatures{Tempo: 128.5}}
	got := trackInfo(with)
	if got.ID != "t1" || got.ArtistID != "a1" || got.Genre != "Rock" || got.Tempo != 128.5 || got.DurationMS != 3000 {
		t.Fatalf("trackInfo = %+v", got)
	}
	if got := trackInfo(&music.Track{ID: "t2"}); got.Tempo != 0 || got.ArtistID != "" {
		t.Fatalf("without features: %+v", got)
	}
}
