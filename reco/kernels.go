package reco

// The float32 vector kernels of word2vec's inner loop and of the
// nearest-neighbour scans. On amd64 with AVX2 and FMA (kernels_amd64.s)
// they run eight lanes at a time for lengths that are a multiple of 8;
// otherwise, and as the reference that TestKernelsAgree holds the
// assembly to, these plain Go loops run.

// dotGo is Σ a[i]·b[i].
func dotGo(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// dotRowsGo sets out[r] to dotGo(q, row r), the rows len(q) wide.
func dotRowsGo(q, rows, out []float32) {
	dim := len(q)
	for r := range out {
		out[r] = dotGo(q, rows[r*dim:(r+1)*dim])
	}
}

// axpyGo is y += a·x.
func axpyGo(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// sgnsUpdateGo is one negative-sampling step's two updates in one pass:
// acc += g·out (with out before its own update), then out += g·in.
func sgnsUpdateGo(g float32, in, out, acc []float32) {
	out, acc = out[:len(in)], acc[:len(in)]
	for i, v := range in {
		o := out[i]
		acc[i] += g * o
		out[i] = o + g*v
	}
}
