package synth

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

// Publications turns a planted-taste world's catalog into releases, one
// per artist, published worldwide from 2020. Artists whose index is in
// recent (by order of first appearance) get releaseDate instead of 2021-01-01,
// for Release Radar.
func Publications(w *World, recent map[int]bool, releaseDate string) []music.Publication {
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
					Genre: GenreName(t.Genre), Artists: []music.ArtistCredit{{ArtistID: t.Artist, Name: "Artist " + t.Artist, Role: "MainArtist"}}},
				Deals:   []music.Deal{{Territories: []string{music.Worldwide}, Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}},
				Publish: true,
			})
		}
		p := &out[i]
		f := t.Features
		p.Tracks = append(p.Tracks, music.Track{
			ID: t.ID, ReleaseID: p.Release.ID, ISRC: fmt.Sprintf("QZTT%08d", len(p.Tracks)+1000*i), Title: "Track " + t.ID,
			DiscNumber: 1, TrackNumber: len(p.Tracks) + 1, Duration: 3 * time.Minute, Genre: GenreName(t.Genre),
			Artists: []music.ArtistCredit{{ArtistID: t.Artist, Role: "MainArtist"}}, AudioFeatures: &f,
		})
	}
	return out
}

// Publisher stores a published release (sqlstore.Store is one).
type Publisher interface {
	PutRelease(ctx context.Context, p music.Publication) error
}

// WriteTasteWorld writes a planted-taste world where a deployment reads
// it: the plays into store's lake, the catalog into cat as published
// releases. Every recentEvery-th artist (0: none) released on
// releaseDate, so Release Radar has something to find. The world's
// playlists are not written: they need user accounts.
func WriteTasteWorld(ctx context.Context, store music.BlobStore, cat Publisher, cfg TasteConfig, recentEvery int, releaseDate string) (*World, error) {
	w, err := GenerateTastes(ctx, store, cfg)
	if err != nil {
		return nil, err
	}
	recent := map[int]bool{}
	for i := 0; recentEvery > 0 && i < len(w.Tracks); i += recentEvery {
		recent[i] = true
	}
	for _, p := range Publications(w, recent, releaseDate) {
		if err := cat.PutRelease(ctx, p); err != nil {
			return nil, fmt.Errorf("publish %s: %w", p.Release.ID, err)
		}
	}
	return w, nil
}
