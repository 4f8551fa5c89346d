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

// Recommend returns up to n items for the seeds, best first, at most
// ArtistsPerWindow per artist in any ArtistWindow. skip is asked of each
// candidate as the searches meet it, so it must be cheap (the seeds are
// skipped already). keep is asked once per round with the fused
// candidates and returns those the caller may have, in order: a serving
// process answers it with one batch visibility lookup, where a check per
// candidate cost about 2,000 catalogue queries a request at 1 M tracks.
// When keep leaves fewer than n, the searches are widened fourfold, up
// to maxWiden times.
func (o *Online) Recommend(seeds []int, n int, skip func(int) bool, keep func([]int) ([]int, error)) ([]int, error) {
	isSeed := map[int]bool{}
	for _, s := range seeds {
		isSeed[s] = true
	}
	rej := func(i int) bool { return isSeed[i] || skip(i) }
	var kept []int
	for width, round := 4*n, 0; ; width, round = 4*width, round+1 {
		cands, exhausted := o.candidates(seeds, width, rej)
		var err error
		if kept, err = keep(cands); err != nil {
			return nil, err
		}
		if len(kept) >= n || exhausted || round == maxWiden {
			break
		}
	}
	return SpreadArtists(kept, o.Model.artistOf, ArtistsPerWindow, ArtistWindow, n), nil
}

// maxWiden bounds how often Recommend widens its searches when the
// caller keeps too few candidates (4n, then 16n, 64n, 256n per source).
const maxWiden = 3

// candidates fuses, by reciprocal rank, up to width nearest items by
// ALS vector and width from each neighbour model, topped up with popular
// items when the signal is thin. exhausted reports that no source had
// more to give, so a wider search would find nothing new.
func (o *Online) candidates(seeds []int, width int, rej func(int) bool) (ids []int, exhausted bool) {
	fused := map[int]float64{}
	exhausted = true
	add := func(src int, list []Scored) {
		if len(list) == width {
			exhausted = false
		}
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
		add(SourceALS, o.search.Nearest(q, width, rej))
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
			add(src.bit, spread(src.nb, weighted, width, rej))
		}
	}
	ranked := make([]Scored, 0, len(fused))
	for i, s := range fused {
		ranked = append(ranked, Scored{i, s})
	}
	sortScored(ranked)
	ids = make([]int, 0, len(ranked))
	for _, s := range ranked {
		ids = append(ids, s.Item)
	}
	if len(ids) < width { // thin signal: top up with the popular
		seen := map[int]bool{}
		for _, i := range ids {
			seen[i] = true
		}
		for _, i := range o.Model.Popular {
			if len(ids) >= width {
				exhausted = false
				break
			}
			if !seen[int(i)] && !rej(int(i)) {
				ids = append(ids, int(i))
			}
		}
	}
	return ids, exhausted
}
