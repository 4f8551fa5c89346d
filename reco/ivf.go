package reco

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// IVF is an inverted-file index over Vectors, for catalogues where exact
// search costs too much per request: the rows are grouped under the
// nearest of a few hundred to a few thousand centroids (spherical k-means
// on a sample), and a query scans only the lists of its Probe most
// similar centroids. It is approximate: a true neighbour filed under a
// centroid that is not probed is missed, so Probe trades recall for
// latency (docs/benchmarks/reco.md measures both against hnswlib).
type IVF struct {
	Probe     int
	v         *Vectors
	centroids *Vectors
	rows      []int32   // row numbers, list by list
	start     []int     // list c is rows[start[c]:start[c+1]]
	data      []float32 // the rows' vectors in the same order, for locality
	scratch   sync.Pool // *ivfScratch, so that a query allocates only its answer
}

// ivfScratch is one query's working memory.
type ivfScratch struct {
	q     []float32 // the query, normalised
	cent  []float32 // its score against each centroid
	lists topK      // the Probe best lists
	parts []topK    // each worker's best rows
}

// ivfParallelRows is how many rows a query must scan before a second
// core joins: below it (probe 4 to 8 of 1,000 lists at 1 M rows) waking
// another goroutine costs more than it saves, and on a loaded machine
// waiting for it is what the slow queries are made of.
const ivfParallelRows = 16384

// ivfSample is how many rows per list train the centroids.
const ivfSample = 64

// BuildIVF groups v's rows under lists centroids (k-means, iters rounds,
// on a seeded sample) and probes probe lists per query.
func BuildIVF(v *Vectors, lists, probe, iters int, seed uint64) *IVF {
	lists = min(max(1, lists), v.N)
	if lists == 0 {
		return &IVF{Probe: max(1, probe), v: v, centroids: &Vectors{Dim: v.Dim}, start: []int{0}}
	}
	r := rand.New(rand.NewPCG(seed, 3))
	sample := r.Perm(v.N)[:min(v.N, lists*ivfSample)]
	cent := make([]float32, lists*v.Dim)
	for c := range lists {
		copy(cent[c*v.Dim:], v.Vec(sample[c]))
	}
	centroids := &Vectors{N: lists, Dim: v.Dim, Data: cent}
	assign := make([]int32, len(sample))
	for range iters {
		forEachParallel(len(sample), func() func(int) {
			scores := make([]float32, lists)
			return func(i int) { assign[i] = int32(centroids.closest(v.Vec(sample[i]), scores)) }
		})
		clear(cent)
		for i, row := range sample {
			axpy32(1, v.Vec(row), centroids.Vec(int(assign[i])))
		}
		for c := range lists {
			normalise(centroids.Vec(c)) // an empty list's centroid stays zero and is never probed
		}
	}
	of := make([]int32, v.N)
	forEachParallel(v.N, func() func(int) {
		scores := make([]float32, lists)
		return func(i int) { of[i] = int32(centroids.closest(v.Vec(i), scores)) }
	})
	x := &IVF{Probe: max(1, probe), v: v, centroids: centroids, start: make([]int, lists+1)}
	for _, c := range of {
		x.start[c+1]++
	}
	for c := range lists {
		x.start[c+1] += x.start[c]
	}
	x.rows = make([]int32, v.N)
	next := slices.Clone(x.start[:lists])
	for i, c := range of {
		x.rows[next[c]] = int32(i)
		next[c]++
	}
	x.data = make([]float32, len(v.Data))
	for n, row := range x.rows {
		copy(x.data[n*v.Dim:], v.Vec(int(row)))
	}
	return x
}

// closest is the row of v most similar to q (the first of equals);
// scores (v.N long) is scratch.
func (v *Vectors) closest(q, scores []float32) int {
	dotRows32(q, v.Data, scores)
	best, bs := 0, float32(-2)
	for c, s := range scores {
		if s > bs {
			best, bs = c, s
		}
	}
	return best
}

// Nearest returns about the k rows most similar to q, best first,
// skipping rows skip rejects (skip may be nil); see IVF for what
// "about" means. The centroids and then each probed list are scored a
// block of rows per kernel call, and a heap of k keeps the best.
func (x *IVF) Nearest(q []float32, k int, skip func(int) bool) []Scored {
	checkDim(q, x.v.Dim)
	s, _ := x.scratch.Get().(*ivfScratch)
	if s == nil {
		s = new(ivfScratch)
	}
	defer x.scratch.Put(s)
	s.q = append(s.q[:0], q...)
	normalise(s.q)
	s.cent = slices.Grow(s.cent[:0], x.centroids.N)[:x.centroids.N]
	dotRows32(s.q, x.centroids.Data, s.cent)
	s.lists = topK{k: x.Probe, h: s.lists.h[:0]}
	for c, sc := range s.cent {
		s.lists.add(c, float64(sc))
	}
	probed, rows := s.lists.h, 0
	for _, l := range probed {
		rows += x.start[l.Item+1] - x.start[l.Item]
	}
	workers := 1
	if rows >= ivfParallelRows {
		workers = min(runtime.GOMAXPROCS(0), len(probed))
	}
	for len(s.parts) < workers {
		s.parts = append(s.parts, topK{})
	}
	parts := s.parts[:workers]
	if workers == 1 {
		x.scanLists(parts, 0, probed, s.q, k, skip)
	} else {
		x.scanParallel(parts, probed, s.q, k, skip)
	}
	return merge(parts, k)
}

// scanLists keeps in parts[w] the best k rows of every len(parts)-th
// probed list from the w-th.
func (x *IVF) scanLists(parts []topK, w int, probed []Scored, q []float32, k int, skip func(int) bool) {
	t := &parts[w]
	*t = topK{k: k, h: t.h[:0]}
	for p := w; p < len(probed); p += len(parts) {
		l := probed[p].Item
		t.scan(x.data, x.v.Dim, x.start[l], x.start[l+1], q, x.rows, skip)
	}
}

// scanParallel runs scanLists for every part, one goroutine each but the
// first, which this one scans.
func (x *IVF) scanParallel(parts []topK, probed []Scored, q []float32, k int, skip func(int) bool) {
	var wg sync.WaitGroup
	for w := 1; w < len(parts); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.scanLists(parts, w, probed, q, k, skip)
		}()
	}
	x.scanLists(parts, 0, probed, q, k, skip)
	wg.Wait()
}
