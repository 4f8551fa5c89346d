package fingerprint

import (
	"fmt"
	"path/filepath"
	"sort"
	"testing"
)

// TestMusicThresholds measures the bit-error rate of edited and re-encoded
// copies against their masters and of unrelated pairs, prints the ranges
// behind DefaultPolicy, and checks every case is classified as intended.
func TestMusicThresholds(t *testing.T) {
	if !*long {
		t.Skip("needs -long")
	}
	tracks := musicTracks(t)
	var masters []string
	for _, tr := range tracks {
		if len(masters) < 12 && len(fileItems(t, tr, 0)) > 400 {
			masters = append(masters, tr)
		}
	}
	want := map[string]Verdict{"mp3-24k": SameRecording, "trim3": SameRecording, "pad2": SameRecording, "gain": SameRecording, "remaster": Related}
	p := DefaultPolicy
	orig := map[string][]uint32{}
	for _, m := range masters {
		orig[m] = fileItems(t, m, DefaultMaxSeconds)
	}
	for _, kind := range []string{"mp3-24k", "trim3", "pad2", "gain", "remaster"} {
		var bers []float64
		for _, m := range masters {
			v := fileItems(t, variant(t, m, kind), DefaultMaxSeconds)
			mt := Compare(orig[m], v, p.MaxOffset)
			bers = append(bers, mt.BitErrorRate)
			if d := p.Classify("x", mt); d.Verdict != want[kind] {
				t.Errorf("%s of %s: %s (BER %.3f coverage %.2f), want %s", kind, filepath.Base(m), d.Verdict, mt.BitErrorRate, mt.Coverage, want[kind])
			}
		}
		t.Logf("%-9s BER %s", kind, spread(bers))
	}
	var bers []float64
	for i, a := range masters {
		for _, b := range masters[i+1:] {
			mt := Compare(orig[a], orig[b], p.MaxOffset)
			bers = append(bers, mt.BitErrorRate)
			if d := p.Classify("x", mt); d.Verdict != New {
				t.Errorf("unrelated %s vs %s: %s (BER %.3f)", filepath.Base(a), filepath.Base(b), d.Verdict, mt.BitErrorRate)
			}
		}
	}
	t.Logf("unrelated BER %s", spread(bers))
}

// spread formats min / median / max.
func spread(v []float64) string {
	sort.Float64s(v)
	return fmt.Sprintf("min %.3f median %.3f max %.3f (n=%d)", v[0], v[len(v)/2], v[len(v)-1], len(v))
}
