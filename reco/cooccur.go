package reco

import (
	"cmp"
	"math"
	"slices"
)

// Co-occurrence model: "listeners of A also played B". Two items
// co-occur once for every user with a positive signal for both; their
// similarity is the count over √(nA·nB) (cosine of the binary listener
// vectors), which keeps hits from being everyone's neighbour. Each user
// contributes at most MaxPerUser items (their strongest signals), which
// bounds the quadratic cost of heavy listeners. Counting runs item by
// item over the transposed matrix with one dense counter per worker, so
// memory is O(items) per core whatever the number of pairs.

// CoOccurrence returns each item's k most co-occurring items.
func CoOccurrence(m *Matrix, k, maxPerUser int) Neighbours {
	if maxPerUser <= 0 {
		maxPerUser = 100
	}
	pos := positives(m, maxPerUser)
	t := pos.Transpose()
	n := make([]float64, m.Cols)
	for i := range m.Cols {
		n[i] = float64(t.Ptr[i+1] - t.Ptr[i])
	}
	out := make(Neighbours, m.Cols)
	forEachParallel(m.Cols, func() func(int) {
		count := make([]int32, m.Cols)
		var touched []int32
		return func(i int) {
			users, _ := t.Row(i)
			for _, u := range users {
				items, _ := pos.Row(int(u))
				for _, j := range items {
					if int(j) != i {
						if count[j] == 0 {
							touched = append(touched, j)
						}
						count[j]++
					}
				}
			}
			top := topK{k: k}
			for _, j := range touched {
				top.add(int(j), float64(count[j])/math.Sqrt(n[i]*n[j]))
				count[j] = 0
			}
			touched = touched[:0]
			out[i] = top.sorted()
		}
	})
	return out
}

// positives keeps each row's strongest positive entries, at most max.
func positives(m *Matrix, max int) *Matrix {
	var es []Entry
	for u := range m.Rows {
		items, vals := m.Row(u)
		var row []Entry
		for n, i := range items {
			if vals[n] > 0 {
				row = append(row, Entry{int32(u), i, vals[n]})
			}
		}
		if len(row) > max {
			slices.SortFunc(row, func(a, b Entry) int { return cmp.Or(cmp.Compare(b.R, a.R), cmp.Compare(a.Item, b.Item)) })
			row = row[:max]
		}
		es = append(es, row...)
	}
	return NewMatrix(m.Rows, m.Cols, es)
}
