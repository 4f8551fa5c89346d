// Package client is the Go player-side library of the serving API: it
// fetches renditions in HTTP range chunks, estimates bandwidth per chunk,
// picks the ladder rung for the next chunk by fixed bandwidth
// thresholds, and prefetches the first seconds of the next track for
// gapless playback.
package client

import "sync"

// Design-notes thresholds (bits per second of measured bandwidth):
// above 500 kbps 320, 200–500 kbps 160, 100–200 kbps 96, below 24.
const (
	above320 = 500_000
	above160 = 200_000
	above96  = 100_000
)

// RungFor is the ladder rung ("24", "96", "160" or "320") to request at
// bandwidth bps.
func RungFor(bps float64) string {
	switch {
	case bps > above320:
		return "320"
	case bps >= above160:
		return "160"
	case bps >= above96:
		return "96"
	}
	return "24"
}

// rungKbps is each rung's nominal bitrate in kbps.
var rungKbps = map[string]int{"24": 24, "96": 96, "160": 160, "320": 320}

// Estimator tracks per-chunk throughput. It falls at once to a slower
// sample (a stall must lower quality before the buffer runs dry) and rises
// as a moving average with weight 0.5, so one lucky chunk does not jump
// the ladder but a recovered link is followed within a chunk or two.
type Estimator struct {
	mu   sync.Mutex
	bps  float64
	seen bool
}

// estimatorWeight is the share of the newest sample.
const estimatorWeight = 0.5

// Add records one chunk of n bytes that took seconds to arrive.
func (e *Estimator) Add(n int64, seconds float64) {
	if n <= 0 || seconds <= 0 {
		return
	}
	sample := float64(n) * 8 / seconds
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.seen {
		e.bps, e.seen = sample, true
		return
	}
	if sample < e.bps {
		e.bps = sample
		return
	}
	e.bps = estimatorWeight*sample + (1-estimatorWeight)*e.bps
}

// BPS is the current estimate in bits per second, and whether there is one.
func (e *Estimator) BPS() (float64, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bps, e.seen
}
