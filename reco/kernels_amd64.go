package reco

import "golang.org/x/sys/cpu"

// simd says whether kernels_amd64.s may run: it needs AVX2 and FMA.
var simd = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func dotAVX2(a, b *float32, n int) float32

//go:noescape
func axpyAVX2(a float32, x, y *float32, n int)

//go:noescape
func prefetchLines(p *float32, n int)

//go:noescape
func dotRowsAVX2(q, rows *float32, dim, n int, out *float32)

//go:noescape
func sgnsUpdateAVX2(grad float32, in, out, acc *float32, n int)

// dot32 is Σ a[i]·b[i] over len(a) elements; b must be as long.
func dot32(a, b []float32) float32 {
	if simd && len(a)&7 == 0 && len(a) > 0 && len(b) >= len(a) {
		return dotAVX2(&a[0], &b[0], len(a))
	}
	return dotGo(a, b)
}

// dotRows32 sets out[r] to the dot product of q with row r of rows
// (len(out) rows of len(q) floats, stored one after another): a block of
// an index scored in one call. rows must hold len(out)·len(q) floats.
func dotRows32(q, rows, out []float32) {
	dim := len(q)
	rows = rows[:len(out)*dim]
	if simd && dim&7 == 0 && dim > 0 {
		if n := len(out) &^ 3; n > 0 {
			dotRowsAVX2(&q[0], &rows[0], dim, n, &out[0])
			rows, out = rows[n*dim:], out[n:]
		}
	}
	dotRowsGo(q, rows, out)
}

// axpy32 is y += a·x over len(x) elements; y must be as long.
func axpy32(a float32, x, y []float32) {
	if simd && len(x)&7 == 0 && len(x) > 0 && len(y) >= len(x) {
		axpyAVX2(a, &x[0], &y[0], len(x))
		return
	}
	axpyGo(a, x, y)
}

// sgnsUpdate is acc += g·out, then out += g·in, over len(in) elements.
func sgnsUpdate(g float32, in, out, acc []float32) {
	if simd && len(in)&7 == 0 && len(in) > 0 && len(out) >= len(in) && len(acc) >= len(in) {
		sgnsUpdateAVX2(g, &in[0], &out[0], &acc[0], len(in))
		return
	}
	sgnsUpdateGo(g, in, out, acc)
}

// prefetch32 asks for x's cache lines ahead of use (PREFETCHT0 is in
// every amd64 CPU, so this one runs without AVX2 too).
func prefetch32(x []float32) {
	if len(x) > 0 {
		prefetchLines(&x[0], len(x))
	}
}
