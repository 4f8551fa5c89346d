package royalty

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// Micros is an amount of money in millionths of the currency unit. Money
// is never a float.
type Micros int64

// String formats m as a decimal with six places, e.g. "12.500000".
func (m Micros) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%06d", sign, int64(m)/1_000_000, int64(m)%1_000_000)
}

// ParseMicros parses a non-negative decimal amount ("1234.56") exactly.
func ParseMicros(s string) (Micros, error) {
	bad := music.Errorf(music.EINVALID, "amount %q: want a non-negative decimal with at most 6 decimal places", s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 6 || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-") {
		return 0, bad
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > (1<<63-1)/1_000_000-1 {
		return 0, bad
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64); err != nil || f < 0 || strings.ContainsAny(frac, "+-") {
			return 0, bad
		}
	}
	return Micros(w*1_000_000 + f), nil
}

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
