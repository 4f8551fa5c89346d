package royalty

import (
	"cmp"
	"math/bits"
	"slices"
)

// splitLargestRemainder divides total into len(weights) integer parts
// proportional to weights whose sum is exactly total: each part gets the
// floor of its exact share, and the few units left go one each to the
// largest remainders; equal remainders go to the smaller index (callers
// order weights by a stable key). Weights must be non-negative with a
// positive sum; products use 128-bit arithmetic, so nothing overflows.
func splitLargestRemainder(total int64, weights []int64) []int64 {
	var sum uint64
	for _, w := range weights {
		sum += uint64(w)
	}
	out := make([]int64, len(weights))
	rems := make([]uint64, len(weights))
	left := total
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum)
		out[i], rems[i] = int64(q), r
		left -= int64(q)
	}
	if left > 0 {
		idx := make([]int, len(weights))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
		for _, i := range idx[:left] {
			out[i]++
		}
	}
	return out
}
