package fingerprint

// The inner loops of the 16-bit resampler: FFmpeg's Q15 filter sum,
// computed faster but to the same integer result.

// dot16 is the Q15 filter sum with FFmpeg's two int32 accumulators (even
// and odd taps), unrolled; int32 addition wraps the same in any order.
func dot16(src, f []int16) (even, odd int32) {
	src = src[:len(f)]
	var a0, a1, a2, a3 int32
	i := 0
	for ; i+4 <= len(f); i += 4 {
		s, g := src[i:i+4:i+4], f[i:i+4:i+4]
		a0 += int32(s[0]) * int32(g[0])
		a1 += int32(s[1]) * int32(g[1])
		a2 += int32(s[2]) * int32(g[2])
		a3 += int32(s[3]) * int32(g[3])
	}
	for ; i < len(f); i++ {
		if i%2 == 0 {
			a0 += int32(src[i]) * int32(f[i])
		} else {
			a1 += int32(src[i]) * int32(f[i])
		}
	}
	return a0 + a2, a1 + a3
}

// symmetricHalf returns taps c, c-1, ..., 0 of a one-phase filter whose
// taps c-k and c+k are equal for every k (c = (n-2)/2 for even n, the
// last tap standing alone), or nil.
func symmetricHalf(f []int16, phases int64) []int16 {
	n := len(f)
	if phases != 1 || n < 4 || n%2 != 0 {
		return nil
	}
	c := (n - 2) / 2
	for k := 1; k <= c; k++ {
		if f[c-k] != f[c+k] {
			return nil
		}
	}
	half := make([]int16, c+1)
	for k := range half {
		half[k] = f[c-k]
	}
	return half
}

// dotSym16 is dot16 for a symmetric filter: taps c±k share one
// multiplication. c-k and c+k have the same parity, so each pair belongs
// to one of FFmpeg's two accumulators, and int32 arithmetic wraps the same
// either way.
func dotSym16(src, half []int16, last int16) (even, odd int32) {
	c := len(half) - 1
	src = src[:2*c+2]
	lo, hi, h := src[:c+1], src[c:2*c+1], half[:c+1]
	// pk1 gathers pairs with k odd, pk0 pairs with k even (and the centre).
	pk0 := int32(lo[c]) * int32(h[0])
	var pk1 int32
	k := 1
	for ; k+1 <= c; k += 2 {
		pk1 += (int32(lo[c-k]) + int32(hi[k])) * int32(h[k])
		pk0 += (int32(lo[c-k-1]) + int32(hi[k+1])) * int32(h[k+1])
	}
	if k <= c {
		pk1 += (int32(lo[c-k]) + int32(hi[k])) * int32(h[k])
	}
	tail := int32(src[2*c+1]) * int32(last)
	// Tap c-k has the parity of c+k; the last tap, 2c+1, is odd.
	if c%2 == 0 {
		return pk0, pk1 + tail
	}
	return pk1, pk0 + tail
}

// packPairs writes p[i] = x[i]·2³² + x[i+gap] for every i with i+gap in
// x: each entry carries the samples of two outputs gap inputs apart, so
// that dotSymPacked serves both with one addition and one multiplication
// per tap pair.
func packPairs(p []int64, x []int16, gap int) []int64 {
	n := max(len(x)-gap, 0)
	if cap(p) < n {
		p = make([]int64, n)
	}
	p = p[:n]
	y := x[gap:]
	for i := range p {
		p[i] = int64(x[i])<<32 + int64(y[i])
	}
	return p
}

// pairTaps lays out a symmetric one-phase filter (taps c, c-1, …, 0 in
// half, then the lone last tap) for dotSymPacked: entry j < c is the tap
// shared by window positions j and 2c-j, then the centre tap, then the
// last tap.
func pairTaps(half []int16, last int16) []int64 {
	c := len(half) - 1
	t := make([]int64, c+2)
	for j := 0; j < c; j++ {
		t[j] = int64(half[c-j])
	}
	t[c], t[c+1] = int64(half[0]), int64(last)
	return t
}

// dotSymPacked is the symmetric Q15 sum over a window of packed pairs
// (see packPairs) with taps from pairTaps, returning both outputs' sums.
// The packing is exact because each true sum fits an int32 (the filter
// gain is below 1.3, so |sum| < 2³¹) and int64 arithmetic is modular and
// linear: the low half is read back as a signed int32 and removed before
// taking the high half. Independent partial sums keep the multiplier
// busy.
func dotSymPacked(p []int64, taps []int64) (int64, int64) {
	var acc int64
	if len(taps) == 41 {
		acc = dotSymPacked80(p, taps)
	} else {
		c := len(taps) - 2
		p = p[:2*c+2]
		var a0, a1 int64
		j := 0
		for ; j+1 < c; j += 2 {
			a0 += (p[j] + p[2*c-j]) * taps[j]
			a1 += (p[j+1] + p[2*c-j-1]) * taps[j+1]
		}
		if j < c {
			a0 += (p[j] + p[2*c-j]) * taps[j]
		}
		acc = a0 + a1 + p[c]*taps[c] + p[2*c+1]*taps[c+1]
	}
	low := int64(int32(uint32(acc)))
	return (acc - low) >> 32, low
}

// dotSymPacked80 is dotSymPacked's packed sum for the 80-tap filter of
// 44.1 → 11.025 kHz, the common case, with constant bounds.
func dotSymPacked80(p []int64, taps []int64) int64 {
	w := (*[80]int64)(p)
	t := (*[41]int64)(taps)
	var a0, a1, a2 int64
	for j := 0; j < 39; j += 3 {
		a0 += (w[j] + w[78-j]) * t[j]
		a1 += (w[j+1] + w[77-j]) * t[j+1]
		a2 += (w[j+2] + w[76-j]) * t[j+2]
	}
	return a0 + a1 + a2 + w[39]*t[39] + w[79]*t[40]
}
