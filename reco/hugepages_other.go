//go:build !linux

package reco

// hugeFloats is a plain allocation where huge pages are not asked for.
func hugeFloats(n int) (buf []float32, free func()) { return make([]float32, n), func() {} }
