package reco

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Exploration: a few slots of each list go to new or little-played
// tracks so they get a fair chance. Each candidate's completion rate has
// a Beta(1 + completions, 1 + plays − completions) posterior; Thompson
// sampling draws one rate from each and takes the highest draws, so a
// track with few plays is tried in proportion to the chance that it is
// in fact good, and one that listeners keep abandoning fades out.

// Arm is an exploration candidate.
type Arm struct {
	Item               int
	Plays, Completions int64
}

// Explore picks up to slots arms by Thompson sampling with r.
func Explore(arms []Arm, slots int, r *rand.Rand) []int {
	type draw struct {
		item int
		p    float64
	}
	ds := make([]draw, 0, len(arms))
	for _, a := range arms {
		c := max(0, min(a.Completions, a.Plays))
		ds = append(ds, draw{a.Item, betaSample(r, 1+float64(c), 1+float64(a.Plays-c))})
	}
	slices.SortFunc(ds, func(a, b draw) int { return cmp.Or(cmp.Compare(b.p, a.p), cmp.Compare(a.item, b.item)) })
	out := make([]int, 0, slots)
	for _, d := range ds[:min(slots, len(ds))] {
		out = append(out, d.item)
	}
	return out
}

// betaSample draws from Beta(a, b) as X/(X+Y) of two Gamma draws.
func betaSample(r *rand.Rand, a, b float64) float64 {
	x, y := gammaSample(r, a), gammaSample(r, b)
	if x+y == 0 {
		return 0.5
	}
	return x / (x + y)
}

// gammaSample draws from Gamma(k, 1) by Marsaglia and Tsang (2000); k ≥ 1
// here (posteriors start at 1).
func gammaSample(r *rand.Rand, k float64) float64 {
	if k < 1 {
		return gammaSample(r, k+1) * math.Pow(r.Float64(), 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
