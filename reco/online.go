package reco

import (
	"fmt"
	"math"
	"strings"
)

// Online answers seed-based recommendations ("more like these") from a
// trained model in memory: the seeds' ALS item vectors, normalised and
// averaged, find the nearest items by cosine (exactly, or through an IVF
// index in a large catalogue), fused with the seeds' co-occurrence, playlist2vec and content
// neighbours by reciprocal rank. Artist and genre seeds stand for their
// most popular tracks.
type Online struct {
	Model  *Model
	vecs   *Vectors
	search interface {
		Nearest(q []float32, k int, skip func(int) bool) []Scored
	}
	byID     map[string]int
	byArtist map[string][]int // most popular first
	byGenre  map[string][]int // lower-cased genre, most popular first
}

// seedsPerGroup is how many tracks an artist or genre seed stands for.
const seedsPerGroup = 5

// Up to exactItems items, seed-based search scans every item (a few
// milliseconds); above, an IVF index of about √n lists answers, probing
// enough of them for recall@10 ≥ 0.95 on the benchmark's 1 M vectors
// (docs/benchmarks/reco.md).
const (
	exactItems  = 100_000
	ivfProbeDiv = 32 // probe lists/ivfProbeDiv lists, and at least ivfMinProbe
	ivfMinProbe = 8
	ivfIters    = 8
)

// NewOnline indexes m for serving.
func NewOnline(m *Model) *Online { return newOnline(m, exactItems) }

func newOnline(m *Model, exactItems int) *Online {
	o := &Online{Model: m, byID: map[string]int{}, byArtist: map[string][]int{}, byGenre: map[string][]int{}}
	for _, i := range m.Popular {
		it := m.Items[i]
		o.byID[it.ID] = int(i)
		for _, a := range it.Artists {
			o.byArtist[a] = append(o.byArtist[a], int(i))
		}
		g := strings.ToLower(it.Genre)
		o.byGenre[g] = append(o.byGenre[g], int(i))
	}
	if m.Factors.N > 0 {
		data := make([]float32, len(m.Factors.Data))
		for i, x := range m.Factors.Data {
			data[i] = float32(x)
		}
		o.vecs = NewVectors(m.Factors.K, data)
		o.search = o.vecs
		if o.vecs.N > exactItems {
			lists := int(math.Sqrt(float64(o.vecs.N)))
			o.search = BuildIVF(o.vecs, lists, max(ivfMinProbe, lists/ivfProbeDiv), ivfIters, 1)
		}
	}
	return o
}

// Search says how seed-based queries find neighbours: "none" (no item
// vectors), "exact" or "ivf N lists, probe P".
func (o *Online) Search() string {
	switch s := o.search.(type) {
	case nil:
		return "none"
	case *IVF:
		return fmt.Sprintf("ivf %d lists, probe %d", s.centroids.N, s.Probe)
	}
	return "exact"
}

// Track, Artist and Genre resolve a seed to items; false if the model
// does not know it.
func (o *Online) Track(id string) (int, bool) { i, ok := o.byID[id]; return i, ok }

// Artist returns an artist's most popular items.
func (o *Online) Artist(id string) ([]int, bool) {
	is, ok := o.byArtist[id]
	return is[:min(len(is), seedsPerGroup)], ok
}

// Genre returns a genre's most popular items (case-insensitive).
func (o *Online) Genre(g string) ([]int, bool) {
	is, ok := o.byGenre[strings.ToLower(g)]
	return is[:min(len(is), seedsPerGroup)], ok
}

// Recommend ranks items for seed items, best first, skipping the seeds
// and whatever skip rejects; it returns up to n.
func (o *Online) Recommend(seeds []int, n int, skip func(int) bool) []int {
	isSeed := map[int]bool{}
	for _, s := range seeds {
		isSeed[s] = true
	}
	rej := func(i int) bool { return isSeed[i] || skip(i) }
	fused := map[int]float64{}
	add := func(src int, list []Scored) {
		for rank, s := range list {
			fused[s.Item] += blendWeights[src] / float64(rrfK+rank)
		}
	}
	if o.vecs != nil && len(seeds) > 0 {
		q := make([]float32, o.vecs.Dim)
		for _, s := range seeds {
			for j, x := range o.vecs.Vec(s) {
				q[j] += x
			}
		}
		add(SourceALS, o.search.Nearest(q, 4*n, rej))
	}
	weighted := make([]Scored, len(seeds))
	for k, s := range seeds {
		weighted[k] = Scored{Item: s, Score: 1}
	}
	for _, src := range []struct {
		bit int
		nb  Neighbours
	}{{SourceCoOc, o.Model.CoOc}, {SourceW2V, o.Model.W2V}, {SourceContent, o.Model.Content}} {
		if src.nb != nil {
			add(src.bit, spread(src.nb, weighted, 4*n, rej))
		}
	}
	var ranked []Scored
	for i, s := range fused {
		ranked = append(ranked, Scored{i, s})
	}
	sortScored(ranked)
	ids := make([]int, 0, len(ranked))
	for _, s := range ranked {
		ids = append(ids, s.Item)
	}
	if len(ids) < n { // thin signal: fill with the popular
		seen := map[int]bool{}
		for _, i := range ids {
			seen[i] = true
		}
		for _, i := range o.Model.Popular {
			if len(ids) >= 4*n {
				break
			}
			if !seen[int(i)] && !rej(int(i)) {
				ids = append(ids, int(i))
			}
		}
	}
	return SpreadArtists(ids, o.Model.artistOf, ArtistsPerWindow, ArtistWindow, n)
}
