package reco

import (
	"cmp"
	"slices"
)

// Scored is an item with a score, higher is better.
type Scored struct {
	Item  int
	Score float64
}

// topK collects the k best of a stream of scores in h, a min-heap with
// the worst kept score on top. The heap is sifted by hand, in the same
// steps as container/heap, rather than through heap.Interface: boxing
// each pushed Scored into an interface allocated once per candidate,
// and the nearest-neighbour scans push thousands a query.
type topK struct {
	k int
	h []Scored
}

func (t *topK) add(item int, s float64) {
	if len(t.h) < t.k {
		t.h = append(t.h, Scored{item, s})
		t.up(len(t.h) - 1)
	} else if s > t.h[0].Score {
		t.h[0] = Scored{item, s}
		t.down(0)
	}
}

// full says whether k items are kept, so that a score must beat t.h[0].
func (t *topK) full() bool { return len(t.h) == t.k }

func (t *topK) up(j int) {
	h := t.h
	for {
		i := (j - 1) / 2 // parent
		if i == j || !(h[j].Score < h[i].Score) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (t *topK) down(i int) {
	h, n := t.h, len(t.h)
	for {
		j := 2*i + 1 // left child
		if j >= n {
			break
		}
		if j2 := j + 1; j2 < n && h[j2].Score < h[j].Score {
			j = j2
		}
		if !(h[j].Score < h[i].Score) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}

// sorted returns the kept items, best first (ties by item).
func (t *topK) sorted() []Scored {
	out := slices.Clone(t.h)
	slices.SortFunc(out, byScore)
	return out
}

// byScore orders best first, ties by item.
func byScore(a, b Scored) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Item, b.Item))
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
