package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// World is a synthetic catalogue and the model over it: Tracks tracks in
// releases of PerRelease, ten tracks to an artist, and item vectors of
// Dim dimensions drawn around Clusters random centres (as
// reco/bench_knn_test.go draws them), so that nearest-neighbour search
// has the structure real embeddings have. Everything follows from the
// fields: two runs build the same world.
type World struct {
	Tracks, PerRelease, Clusters, Dim int
	Seed                              uint64
}

// Bounds of the synthetic names.
const (
	tracksPerArtist = 10
	genres          = 50
)

func (w World) releases() int        { return (w.Tracks + w.PerRelease - 1) / w.PerRelease }
func (w World) trackID(i int) string { return "trk-" + w.isrc(i) }

// isrc is a well-formed ISRC in the user-assigned ZZ country code.
func (w World) isrc(i int) string      { return fmt.Sprintf("ZZSYN%07d", i) }
func (w World) releaseID(r int) string { return fmt.Sprintf("rel-syn-%07d", r) }
func (w World) artistID(i int) string  { return fmt.Sprintf("art-syn-%06d", i/tracksPerArtist) }
func (w World) genre(i int) string     { return fmt.Sprintf("Synthetic %02d", i%w.Clusters%genres) }
func (w World) modelKey() string {
	return fmt.Sprintf("reco/runs/recoworld/%d-tracks-%d-seed/model.gob", w.Tracks, w.Seed)
}
func (w World) released(i int) time.Time {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%9000)
}
func (w World) credit(i int) music.ArtistCredit {
	return music.ArtistCredit{ArtistID: w.artistID(i), Name: fmt.Sprintf("Synthetic Artist %d", i/tracksPerArtist), Role: "MainArtist"}
}

// Release r as the catalog stores it: published, streamable worldwide.
func (w World) Release(r int) music.Publication {
	lo, hi := r*w.PerRelease, min(w.Tracks, (r+1)*w.PerRelease)
	p := music.Publication{
		Release: music.Release{ID: w.releaseID(r), Title: fmt.Sprintf("Synthetic Release %d", r), Label: "Synthetic",
			ReleaseDate: w.released(lo).Format(time.DateOnly), Genre: w.genre(lo), Artists: []music.ArtistCredit{w.credit(lo)}},
		Deals: []music.Deal{{Territories: []string{music.Worldwide}, Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			CommercialModel: "SubscriptionModel", UseTypes: []string{"OnDemandStream"}}},
		Publish: true,
	}
	for i := lo; i < hi; i++ {
		p.Tracks = append(p.Tracks, music.Track{ID: w.trackID(i), ISRC: w.isrc(i), Title: fmt.Sprintf("Synthetic Track %d", i),
			DiscNumber: 1, TrackNumber: i - lo + 1, Duration: 3 * time.Minute, Genre: w.genre(i), Artists: []music.ArtistCredit{w.credit(i)}})
	}
	return p
}

// Model is a trained model's shape over the world: every track an item
// with its ALS vector (track i drawn around centre i mod Clusters),
// popularity in a fixed random order, and no neighbour lists (the seed
// route then ranks by the vectors alone).
func (w World) Model(asOf time.Time) *reco.Model {
	r := rand.New(rand.NewPCG(w.Seed, 1))
	centres := make([]float64, w.Clusters*w.Dim)
	for i := range centres {
		centres[i] = r.NormFloat64()
	}
	m := &reco.Model{
		Items:   make([]reco.Item, w.Tracks),
		Factors: reco.Factors{N: w.Tracks, K: w.Dim, Data: make([]float64, w.Tracks*w.Dim)},
		ALS:     reco.ALSOptions{Factors: w.Dim, Iterations: 15, Seed: 1},
		Popular: make([]int32, w.Tracks),
		AsOf:    asOf.Unix() / 86400,
	}
	for i := range w.Tracks {
		c := i % w.Clusters
		for j := range w.Dim {
			m.Factors.Data[i*w.Dim+j] = centres[c*w.Dim+j] + 0.6*r.NormFloat64()
		}
		m.Items[i] = reco.Item{ID: w.trackID(i), Artists: []string{w.artistID(i)}, Genre: w.genre(i), Released: w.released(i).Unix() / 86400}
	}
	for rank, i := range r.Perm(w.Tracks) {
		m.Popular[rank] = int32(i)
		m.Items[i].Popularity = 100 - 100*rank/w.Tracks
	}
	return m
}

// Sample returns n distinct track IDs in random order (all if n ≥ Tracks).
func (w World) Sample(n int) []string {
	r := rand.New(rand.NewPCG(w.Seed, 2))
	perm := r.Perm(w.Tracks)[:min(n, w.Tracks)]
	ids := make([]string, len(perm))
	for k, i := range perm {
		ids[k] = w.trackID(i)
	}
	return ids
}
