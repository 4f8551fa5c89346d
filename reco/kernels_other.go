//go:build !amd64

package reco

const simd = false

func dot32(a, b []float32) float32                 { return dotGo(a, b) }
func dotRows32(q, rows, out []float32)             { dotRowsGo(q, rows, out) }
func axpy32(a float32, x, y []float32)             { axpyGo(a, x, y) }
func sgnsUpdate(g float32, in, out, acc []float32) { sgnsUpdateGo(g, in, out, acc) }

// prefetch32 is a no-op here: there is no portable prefetch in Go.
func prefetch32(x []float32) {}
