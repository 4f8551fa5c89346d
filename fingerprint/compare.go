package fingerprint

import (
	"math/bits"
	"sort"
)

// SilenceItem is the sub-fingerprint of digital silence; it carries no
// information and is ignored when aligning and scoring.
const SilenceItem = 627964279

// alignBits is how many top bits of an item vote for an offset; the top
// classifiers are the most stable ones.
const alignBits = 14

// minOverlap is the fewest aligned non-silent items a comparison needs
// (about 2 s of audio).
const minOverlap = 16

// Match is the best alignment found between two fingerprints.
type Match struct {
	// Offset says that b[i] lines up with a[i+Offset], in items (one
	// item is 1365/11025 ≈ 0.124 s).
	Offset int
	// Overlap is the number of aligned, non-silent item pairs compared.
	Overlap int
	// BitErrorRate is the fraction of differing bits over the overlap:
	// 0 for identical audio, about 0.5 for unrelated audio.
	BitErrorRate float64
	// Coverage is Overlap over the length of the shorter fingerprint.
	Coverage float64
}

// Agreement is 1 − BitErrorRate.
func (m Match) Agreement() float64 { return 1 - m.BitErrorRate }

// ItemSeconds is the time step of one sub-fingerprint.
const ItemSeconds = float64(frameHop) / SampleRate

// Compare aligns b against a in the manner of AcoustID: a histogram of the
// offsets at which items share their top bits, then the bit-error rate of
// the best few candidate offsets; the lowest wins. maxOffset bounds the
// search in items (0: any offset). With no usable alignment the result
// has BitErrorRate 0.5 and Overlap 0.
func Compare(a, b []uint32, maxOffset int) Match {
	none := Match{BitErrorRate: 0.5}
	if len(a) == 0 || len(b) == 0 {
		return none
	}
	// Index the shorter side's top bits and vote with the longer, so
	// verifying a clip against a whole track stays cheap.
	short, long, sign := b, a, 1
	if len(a) < len(b) {
		short, long, sign = a, b, -1
	}
	pos := make(map[uint32][]int32, len(short))
	for i, v := range short {
		if v == SilenceItem {
			continue
		}
		k := v >> (32 - alignBits)
		if p := pos[k]; len(p) < 64 { // cap repetitive keys
			pos[k] = append(p, int32(i))
		}
	}
	votes := make(map[int]int)
	for j, v := range long {
		if v == SilenceItem {
			continue
		}
		for _, i := range pos[v>>(32-alignBits)] {
			off := sign * (j - int(i)) // a index minus b index
			if maxOffset > 0 && (off > maxOffset || off < -maxOffset) {
				continue
			}
			votes[off]++
		}
	}
	type cand struct{ off, n int }
	cands := make([]cand, 0, len(votes))
	for off, n := range votes {
		cands = append(cands, cand{off, n})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].n != cands[j].n {
			return cands[i].n > cands[j].n
		}
		return cands[i].off < cands[j].off
	})
	best := none
	for k := 0; k < len(cands) && k < 8; k++ {
		m := alignedBER(a, b, cands[k].off)
		if m.Overlap >= minOverlap && (best.Overlap == 0 || m.BitErrorRate < best.BitErrorRate) {
			best = m
		}
	}
	return best
}

// alignedBER measures the bit-error rate of b placed at offset off in a.
func alignedBER(a, b []uint32, off int) Match {
	i0, j0 := max(off, 0), max(-off, 0)
	n := min(len(a)-i0, len(b)-j0)
	errs, overlap := 0, 0
	for k := 0; k < n; k++ {
		x, y := a[i0+k], b[j0+k]
		if x == SilenceItem && y == SilenceItem {
			continue
		}
		errs += bits.OnesCount32(x ^ y)
		overlap++
	}
	m := Match{Offset: off, Overlap: overlap, BitErrorRate: 0.5}
	if overlap > 0 {
		m.BitErrorRate = float64(errs) / float64(32*overlap)
		m.Coverage = float64(overlap) / float64(min(len(a), len(b)))
	}
	return m
}
