package reco

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Vectors are n unit-length float32 vectors of one dimension: item
// embeddings compared by cosine similarity (a dot product once
// normalised). Nearest is exact brute force, split over cores.
type Vectors struct {
	N, Dim int
	Data   []float32
}

// NewVectors normalises data (n rows of dim) in place and wraps it. A
// zero row stays zero and never matches.
func NewVectors(dim int, data []float32) *Vectors {
	v := &Vectors{N: len(data) / dim, Dim: dim, Data: data}
	for i := range v.N {
		normalise(v.Vec(i))
	}
	return v
}

func normalise(x []float32) {
	var s float64
	for _, f := range x {
		s += float64(f) * float64(f)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range x {
		x[i] *= inv
	}
}

// Vec returns row i.
func (v *Vectors) Vec(i int) []float32 { return v.Data[i*v.Dim : (i+1)*v.Dim] }

// Nearest returns the k rows most similar to q (normalised here), best
// first, skipping rows skip rejects (skip may be nil).
func (v *Vectors) Nearest(q []float32, k int, skip func(int) bool) []Scored {
	checkDim(q, v.Dim)
	q = append([]float32(nil), q...)
	normalise(q)
	workers := min(runtime.GOMAXPROCS(0), max(1, v.N/20000))
	parts := make([]topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = topK{k: k}
			parts[w].scan(v.Data, v.Dim, w*v.N/workers, (w+1)*v.N/workers, q, nil, skip)
		}()
	}
	wg.Wait()
	return merge(parts, k)
}

// checkDim panics, naming both lengths, on a query that is not dim
// long: the block kernel would otherwise read rows out of step.
func checkDim(q []float32, dim int) {
	if len(q) != dim {
		panic(fmt.Sprintf("reco: a %d-dimensional query against %d-dimensional vectors", len(q), dim))
	}
}

// scanBlock is how many rows scan scores per kernel call: their scores
// (1 KB) stay on the stack and in L1.
const scanBlock = 256

// scan keeps in t the best of rows lo..hi of data (dim wide) by their dot
// product with q; row n holds item rows[n], or item n when rows is nil.
// Zero scores (zero rows) never match.
func (t *topK) scan(data []float32, dim, lo, hi int, q []float32, rows []int32, skip func(int) bool) {
	var buf [scanBlock]float32
	for b := lo; b < hi; b += scanBlock {
		scores := buf[:min(scanBlock, hi-b)]
		dotRows32(q, data[b*dim:], scores)
		for i, s := range scores {
			if s == 0 || (t.full() && float64(s) <= t.h[0].Score) {
				continue
			}
			item := b + i
			if rows != nil {
				item = int(rows[item])
			}
			if skip == nil || !skip(item) {
				t.add(item, float64(s))
			}
		}
	}
}

// merge returns the best k of the parts' kept items, best first.
func merge(parts []topK, k int) []Scored {
	all := topK{k: k, h: make([]Scored, 0, k)}
	for _, p := range parts {
		for _, s := range p.h {
			all.add(s.Item, s.Score)
		}
	}
	slices.SortFunc(all.h, byScore)
	return all.h
}

// Neighbours is a top-K similar-items list per item, best first.
type Neighbours [][]Scored

// AllNearest computes every row's k nearest other rows.
func (v *Vectors) AllNearest(k int) Neighbours {
	out := make(Neighbours, v.N)
	forEachParallel(v.N, func() func(int) {
		return func(i int) {
			q := v.Vec(i)
			t := topK{k: k}
			for j := range v.N {
				if s := dot(v.Data[j*v.Dim:(j+1)*v.Dim], q); j != i && s > 0 {
					t.add(j, float64(s))
				}
			}
			out[i] = t.sorted()
		}
	})
	return out
}

// forEachParallel calls a worker's function for every i in [0, n), one
// worker per core; newWorker makes each worker's function (and scratch).
func forEachParallel(n int, newWorker func() func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		fn := newWorker()
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
