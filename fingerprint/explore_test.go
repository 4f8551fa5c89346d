package fingerprint

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestMusicExploreClips prints how items of 10 s clips survive: per-bit
// error rate by classifier and how often top-K bits match exactly.
func TestMusicExploreClips(t *testing.T) {
	if !*long {
		t.Skip("needs -long")
	}
	tracks := musicTracks(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, mode := range []string{"clean", "noise10"} {
		var bitErr [32]int
		var topMatch [33]int
		total := 0
		for _, tr := range tracks[:12] {
			full := fileItems(t, tr, 0)
			n := int64(len(full)) * 5460
			if n < 30*44100 {
				continue
			}
			from := rng.Int64N(n - 11*44100)
			clip := readWindow(t, tr, from, 10*44100)
			if mode == "noise10" {
				clip = addNoise(clip, 10, rng)
			}
			ci := itemsOf(t, clip)
			m := Compare(full, ci, 0)
			t.Logf("%s %s: offset %d (expect ~%d) BER %.3f overlap %d", mode, tr[len(tr)-20:], m.Offset, from/5460, m.BitErrorRate, m.Overlap)
			for j, v := range ci {
				i := j + m.Offset
				if i < 0 || i >= len(full) {
					continue
				}
				x := v ^ full[i]
				total++
				for b := 0; b < 32; b++ {
					if x>>b&1 != 0 {
						bitErr[b]++
					}
				}
				lz := bits.LeadingZeros32(x)
				for k := 0; k <= lz; k++ {
					topMatch[k]++
				}
			}
		}
		for c := 0; c < 16; c++ {
			b := 30 - 2*c
			t.Logf("%s classifier %2d: err hi %.3f lo %.3f", mode, c+1, float64(bitErr[b+1])/float64(total), float64(bitErr[b])/float64(total))
		}
		for _, k := range []int{8, 12, 14, 16, 20, 24, 28, 32} {
			t.Logf("%s top %d bits match: %.3f", mode, k, float64(topMatch[k])/float64(total))
		}
	}
}
