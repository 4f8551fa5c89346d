package reco

import (
	"cmp"
	"slices"
)

// Entry is one (user, item) signal: R > 0 is a preference with confidence
// growing with R (plays, saves, playlist adds); R < 0 is evidence against
// (skips), kept as a zero preference held with confidence.
type Entry struct {
	User, Item int32
	R          float32
}

// Matrix is a sparse user × item signal matrix in compressed rows: row
// u's items are Idx[Ptr[u]:Ptr[u+1]], ascending, with values Val.
type Matrix struct {
	Rows, Cols int
	Ptr        []int
	Idx        []int32
	Val        []float32
}

// NewMatrix builds a rows × cols matrix from entries, summing repeats.
// Entries outside the shape are dropped.
func NewMatrix(rows, cols int, entries []Entry) *Matrix {
	es := slices.Clone(entries)
	slices.SortFunc(es, func(a, b Entry) int { return cmp.Or(cmp.Compare(a.User, b.User), cmp.Compare(a.Item, b.Item)) })
	m := &Matrix{Rows: rows, Cols: cols, Ptr: make([]int, rows+1)}
	for i := 0; i < len(es); {
		e := es[i]
		j := i + 1
		for j < len(es) && es[j].User == e.User && es[j].Item == e.Item {
			e.R += es[j].R
			j++
		}
		i = j
		if e.User < 0 || int(e.User) >= rows || e.Item < 0 || int(e.Item) >= cols || e.R == 0 {
			continue
		}
		m.Idx = append(m.Idx, e.Item)
		m.Val = append(m.Val, e.R)
		m.Ptr[e.User+1]++
	}
	for u := range rows {
		m.Ptr[u+1] += m.Ptr[u]
	}
	return m
}

// Row returns row u's items and values.
func (m *Matrix) Row(u int) ([]int32, []float32) {
	return m.Idx[m.Ptr[u]:m.Ptr[u+1]], m.Val[m.Ptr[u]:m.Ptr[u+1]]
}

// NNZ is the number of stored entries.
func (m *Matrix) NNZ() int { return len(m.Idx) }

// Transpose returns the cols × rows matrix.
func (m *Matrix) Transpose() *Matrix {
	t := &Matrix{Rows: m.Cols, Cols: m.Rows, Ptr: make([]int, m.Cols+1), Idx: make([]int32, len(m.Idx)), Val: make([]float32, len(m.Val))}
	for _, i := range m.Idx {
		t.Ptr[i+1]++
	}
	for i := range m.Cols {
		t.Ptr[i+1] += t.Ptr[i]
	}
	next := slices.Clone(t.Ptr[:m.Cols])
	for u := range m.Rows {
		for k := m.Ptr[u]; k < m.Ptr[u+1]; k++ {
			i := m.Idx[k]
			t.Idx[next[i]], t.Val[next[i]] = int32(u), m.Val[k]
			next[i]++
		}
	}
	return t
}
