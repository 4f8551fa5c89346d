package reco

import (
	"cmp"
	"container/heap"
	"slices"
)

// Scored is an item with a score, higher is better.
type Scored struct {
	Item  int
	Score float64
}

// minHeap keeps the best k scores with the worst on top.
type minHeap []Scored

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i].Score < h[j].Score }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(Scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topK collects the k best of a stream of scores.
type topK struct {
	k int
	h minHeap
}

func (t *topK) add(item int, s float64) {
	if len(t.h) < t.k {
		heap.Push(&t.h, Scored{item, s})
	} else if s > t.h[0].Score {
		t.h[0] = Scored{item, s}
		heap.Fix(&t.h, 0)
	}
}

// sorted returns the kept items, best first (ties by item).
func (t *topK) sorted() []Scored {
	out := slices.Clone([]Scored(t.h))
	slices.SortFunc(out, func(a, b Scored) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Item, b.Item)) })
	return out
}

// TopK returns the k items whose vectors (rows of data, k floats each of
// width dim) have the largest dot product with q, skipping those skip
// rejects: exact brute force.
func TopK(data []float64, dim int, q []float64, k int, skip func(int) bool) []Scored {
	t := topK{k: k}
	n := len(data) / dim
	for i := range n {
		if skip(i) {
			continue
		}
		t.add(i, dot(data[i*dim:(i+1)*dim], q))
	}
	return t.sorted()
}
