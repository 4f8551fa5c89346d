package reco

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/blas/blas32"
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
}

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
			return func(i int) { assign[i] = int32(centroids.closest(v.Vec(sample[i]))) }
		})
		clear(cent)
		for i, row := range sample {
			blas32.Axpy(1, vec32(v.Vec(row)), vec32(centroids.Vec(int(assign[i]))))
		}
		for c := range lists {
			normalise(centroids.Vec(c)) // an empty list's centroid stays zero and is never probed
		}
	}
	of := make([]int32, v.N)
	forEachParallel(v.N, func() func(int) {
		return func(i int) { of[i] = int32(centroids.closest(v.Vec(i))) }
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

// closest is the row of v most similar to q.
func (v *Vectors) closest(q []float32) int {
	best, bs := 0, float32(-2)
	for c := range v.N {
		if s := blas32.Dot(vec32(v.Vec(c)), vec32(q)); s > bs {
			best, bs = c, s
		}
	}
	return best
}

// Nearest returns about the k rows most similar to q, best first,
// skipping rows skip rejects (skip may be nil); see IVF for what
// "about" means.
func (x *IVF) Nearest(q []float32, k int, skip func(int) bool) []Scored {
	q = append([]float32(nil), q...)
	normalise(q)
	qv := vec32(q)
	lists := topK{k: x.Probe}
	for c := range x.centroids.N {
		lists.add(c, float64(blas32.Dot(vec32(x.centroids.Vec(c)), qv)))
	}
	probed := lists.sorted()
	workers := min(runtime.GOMAXPROCS(0), len(probed))
	parts := make([]topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() { // worker w scans every workers-th probed list
			defer wg.Done()
			parts[w] = topK{k: k}
			for p := w; p < len(probed); p += workers {
				l := probed[p].Item
				parts[w].scan(x.data, x.v.Dim, x.start[l], x.start[l+1], q, x.rows, skip)
			}
		}()
	}
	wg.Wait()
	return merge(parts, k)
}
