package reco

import (
	"cmp"
	"slices"
)

// rrfK damps reciprocal-rank fusion: a source's i-th candidate adds
// weight/(rrfK + i). Ranks, not raw scores, are fused, because the
// sources' scores are on unrelated scales.
const rrfK = 60

// candidatesPerSource bounds each source's list before fusion.
const candidatesPerSource = 300

// Candidates ranks items the user has no signal for, from the sources in
// set, best first, at most n. x is the user's ALS factors (nil skips ALS).
func (m *Model) Candidates(u *User, x []float64, set, n int) []Scored {
	fused := map[int]float64{}
	add := func(src int, list []Scored) {
		w := blendWeights[src]
		for rank, s := range list {
			fused[s.Item] += w / float64(rrfK+rank)
		}
	}
	fresh := func(i int) bool { return u.has(i) }
	if set&SourceALS != 0 && x != nil && m.Factors.N > 0 {
		add(SourceALS, TopK(m.Factors.Data, m.Factors.K, x, candidatesPerSource, fresh))
	}
	seeds := u.liked(50)
	for _, src := range []struct {
		bit int
		nb  Neighbours
	}{{SourceCoOc, m.CoOc}, {SourceW2V, m.W2V}, {SourceContent, m.Content}} {
		if set&src.bit != 0 && src.nb != nil {
			add(src.bit, spread(src.nb, seeds, candidatesPerSource, fresh))
		}
	}
	if set&SourcePopular != 0 {
		var pop []Scored
		for _, i := range m.Popular {
			if !u.has(int(i)) {
				pop = append(pop, Scored{Item: int(i)})
				if len(pop) == candidatesPerSource {
					break
				}
			}
		}
		add(SourcePopular, pop)
	}
	out := make([]Scored, 0, len(fused))
	for i, s := range fused {
		out = append(out, Scored{i, s})
	}
	sortScored(out)
	return out[:min(n, len(out))]
}

// sortScored orders best first, ties by item, so results are stable.
func sortScored(s []Scored) {
	slices.SortFunc(s, func(a, b Scored) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Item, b.Item)) })
}

// spread scores items by the summed similarity to the seeds, each seed's
// similarity weighted by how much the user likes it.
func spread(nb Neighbours, seeds []Scored, n int, skip func(int) bool) []Scored {
	acc := map[int]float64{}
	for _, s := range seeds {
		if s.Item >= len(nb) {
			continue
		}
		for _, c := range nb[s.Item] {
			if !skip(c.Item) {
				acc[c.Item] += c.Score * s.Score
			}
		}
	}
	t := topK{k: n}
	for i, s := range acc {
		t.add(i, s)
	}
	return t.sorted()
}

// SpreadArtists reorders ranked items so that no artist has more than
// perWindow items in any window of window consecutive items; items that
// cannot be placed are dropped. The order is otherwise kept.
func SpreadArtists(ranked []int, artistOf func(int) string, perWindow, window, n int) []int {
	out := make([]int, 0, n)
	pending := slices.Clone(ranked)
	for len(out) < n && len(pending) > 0 {
		placed := false
		for pi, it := range pending {
			a := artistOf(it)
			count := 0
			for _, prev := range out[max(0, len(out)-window+1):] {
				if a != "" && artistOf(prev) == a {
					count++
				}
			}
			if count < perWindow {
				out = append(out, it)
				pending = slices.Delete(pending, pi, pi+1)
				placed = true
				break
			}
		}
		if !placed {
			break
		}
	}
	return out
}
