package recotest

import (
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake/synth"
)

// Publications turns a planted-taste world's catalog into releases, one
// per artist, published worldwide from 2020. Artists whose index is in
// recent (by order of first appearance) get releaseDate instead of 2021-01-01,
// for Release Radar.
func Publications(w *synth.World, recent map[int]bool, releaseDate string) []music.Publication {
	var out []music.Publication
	byArtist := map[string]int{}
	for _, t := range w.Tracks {
		i, ok := byArtist[t.Artist]
		if !ok {
			i = len(out)
			byArtist[t.Artist] = i
			date := "2021-01-01"
			if recent[i] {
				date = releaseDate
			}
			out = append(out, music.Publication{
				Release: music.Release{ID: "rel-" + t.Artist, Title: "Album of " + t.Artist, ReleaseDate: date,
					Genre: synth.GenreName(t.Genre), Artists: []music.ArtistCredit{{ArtistID: t.Artist, Name: "Artist " + t.Artist, Role: "MainArtist"}}},
				Deals:   []music.Deal{{Territories: []string{music.Worldwide}, Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}},
				Publish: true,
			})
		}
		p := &out[i]
		f := t.Features
		p.Tracks = append(p.Tracks, music.Track{
			ID: t.ID, ReleaseID: p.Release.ID, ISRC: fmt.Sprintf("QZTT%08d", len(p.Tracks)+1000*i), Title: "Track " + t.ID,
			DiscNumber: 1, TrackNumber: len(p.Tracks) + 1, Duration: 3 * time.Minute, Genre: synth.GenreName(t.Genre),
			Artists: []music.ArtistCredit{{ArtistID: t.Artist, Role: "MainArtist"}}, AudioFeatures: &f,
		})
	}
	return out
}
