//go:build !race

// Package race says whether the race detector is compiled in, so slow
// tests can do less work under -race (it slows CPU-bound code 5–10×).
package race

// Enabled is true in a -race build.
const Enabled = false
