package music

import (
	"math"
	"sort"
)

// ShuffleTrack is what the dithered shuffle knows of a track.
type ShuffleTrack struct {
	ArtistID string  // "" counts as an artist of its own
	Genre    string  // "" matches no other track
	Tempo    float64 // beats per minute; 0 when there are no audio features
}

// Shuffle tuning: how many upcoming candidates the placement step weighs,
// and the tempo step that counts as a jump.
const (
	shuffleWindow   = 4
	shuffleTempoGap = 20.0
)

// DitherShuffle returns a play order for tracks: a permutation of their
// indices that spreads each artist's tracks evenly (with jitter) and then
// avoids same-artist neighbours, runs of one genre and big tempo jumps.
// It is a pure function of tracks and seed, so every process and device
// computes the same order. Whenever no artist holds more than half the
// tracks, no two neighbours share an artist.
func DitherShuffle(tracks []ShuffleTrack, seed uint64) []int {
	n := len(tracks)
	rng := &SeededRand{State: seed}
	if n < 2 {
		return identity(n)
	}
	artists, groups := groupByArtist(tracks)
	dithered := ditherPositions(groups, n, rng)
	top := 0
	for a, g := range groups {
		if len(g) > len(groups[top]) {
			top = a
		}
	}
	if m := len(groups[top]); 2*m > n+1 {
		return spreadDominant(artists, dithered, top, m, rng)
	}
	return place(tracks, artists, len(groups), dithered)
}

// spreadDominant orders tracks when one artist has more than half of them
// and neighbours of that artist cannot all be avoided: the other tracks go
// one each into evenly spaced gaps between the top artist's m tracks, so
// the order has the fewest same-artist neighbours possible,
// m-1-(n-m), spread out instead of bunched at one end.
func spreadDominant(artistOf, dithered []int, top, m int, rng *SeededRand) []int {
	var tops, others []int
	for _, t := range dithered {
		if artistOf[t] == top {
			tops = append(tops, t)
		} else {
			others = append(others, t)
		}
	}
	gaps := m - 1
	k := len(others)
	// Gap j (after the top artist's track j) gets an other track when it
	// is the first gap at or past an evenly spaced mark.
	order := make([]int, 0, len(dithered))
	offset := rng.Float64()
	next := 0
	for j, t := range tops {
		order = append(order, t)
		if j < gaps && next < k && float64(j+1) > (float64(next)+offset)*float64(gaps)/float64(k) {
			order = append(order, others[next])
			next++
		}
	}
	return append(order, others[next:]...)
}

// groupByArtist returns each track's artist number and the artists'
// track lists, numbered in order of first appearance (no map ranging, so
// the result never depends on hashing).
func groupByArtist(tracks []ShuffleTrack) (artistOf []int, groups [][]int) {
	artistOf = make([]int, len(tracks))
	number := map[string]int{}
	for i, t := range tracks {
		a, ok := number[t.ArtistID]
		if !ok || t.ArtistID == "" {
			a = len(groups)
			groups = append(groups, nil)
			if t.ArtistID != "" {
				number[t.ArtistID] = a
			}
		}
		artistOf[i] = a
		groups[a] = append(groups[a], i)
	}
	return artistOf, groups
}

// ditherPositions shuffles each artist's tracks, spaces them n/k apart
// from a random start with up to ±1 slot of jitter, and returns all
// tracks sorted by position.
func ditherPositions(groups [][]int, n int, rng *SeededRand) []int {
	type slot struct {
		track int
		pos   float64
	}
	slots := make([]slot, 0, n)
	for _, g := range groups {
		g = append([]int(nil), g...)
		rng.Permute(g)
		spacing := float64(n) / float64(len(g))
		start := rng.Float64() * spacing
		for j, t := range g {
			jitter := 2*rng.Float64() - 1
			slots = append(slots, slot{t, start + float64(j)*spacing + jitter})
		}
	}
	sort.SliceStable(slots, func(i, j int) bool { return slots[i].pos < slots[j].pos })
	order := make([]int, n)
	for i, s := range slots {
		order[i] = s.track
	}
	return order
}

// place walks the dithered order and picks each next track among the
// first few eligible ones. When the artists can be fully separated (no
// artist over ceil(n/2) tracks) a track of the previous artist is never
// eligible, and an artist that must go now (its tracks fill every other
// remaining slot) is the only eligible one; that keeps a full separation
// possible at every step.
func place(tracks []ShuffleTrack, artistOf []int, artists int, dithered []int) []int {
	n := len(tracks)
	remaining := make([]int, artists)
	maxCount := 0
	for _, a := range artistOf {
		remaining[a]++
		maxCount = max(maxCount, remaining[a])
	}
	separable := 2*maxCount <= n+1
	countOf := make([]int, maxCount+1) // how many artists have c tracks left
	for _, c := range remaining {
		countOf[c]++
	}
	used := make([]bool, n)
	out := make([]int, 0, n)
	head := 0
	prev, prevprev := -1, -1
	for step := 0; step < n; step++ {
		for used[dithered[head]] {
			head++
		}
		left := n - step
		for maxCount > 0 && countOf[maxCount] == 0 {
			maxCount--
		}
		forced := separable && 2*maxCount >= left+1
		best, bestCost, seen := -1, math.Inf(1), 0
		for i := head; i < n && seen < shuffleWindow; i++ {
			t := dithered[i]
			if used[t] {
				continue
			}
			a := artistOf[t]
			if separable && prev >= 0 && a == artistOf[prev] {
				continue
			}
			if forced && remaining[a] != maxCount {
				continue
			}
			cost := 0.25*float64(seen) + transitionCost(tracks, artistOf, prevprev, prev, t)
			if cost < bestCost {
				best, bestCost = t, cost
			}
			seen++
		}
		if best < 0 { // only the previous artist is left
			best = dithered[head]
		}
		used[best] = true
		out = append(out, best)
		a := artistOf[best]
		countOf[remaining[a]]--
		remaining[a]--
		countOf[remaining[a]]++
		prevprev, prev = prev, best
	}
	return out
}

// transitionCost is how much playing t after prevprev, prev jars: a
// repeated artist (only weighed when artists cannot be fully separated),
// a second or third track of one genre, a tempo jump over
// shuffleTempoGap BPM.
func transitionCost(tracks []ShuffleTrack, artistOf []int, prevprev, prev, t int) float64 {
	if prev < 0 {
		return 0
	}
	cost := 0.0
	if artistOf[t] == artistOf[prev] {
		cost += 0.5
	}
	g := tracks[t].Genre
	if g != "" && g == tracks[prev].Genre {
		cost++
		if prevprev >= 0 && g == tracks[prevprev].Genre {
			cost += 2
		}
	}
	if a, b := tracks[t].Tempo, tracks[prev].Tempo; a > 0 && b > 0 {
		if d := math.Abs(a - b); d > shuffleTempoGap {
			cost += (d - shuffleTempoGap) / shuffleTempoGap
		}
	}
	return cost
}

func identity(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return order
}

// SeededRand is SplitMix64: a tiny generator whose output is fixed by its
// published constants, so a seed means the same order on every Go
// version and in any client that implements it.
type SeededRand struct{ State uint64 }

// Uint64 returns the next 64 random bits.
func (r *SeededRand) Uint64() uint64 {
	r.State += 0x9e3779b97f4a7c15
	z := r.State
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Float64 returns a number in [0, 1).
func (r *SeededRand) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// IntN returns a number in [0, n); n must be positive. The modulo bias is
// below 2^-40 for any n a play queue has.
func (r *SeededRand) IntN(n int) int { return int(r.Uint64() % uint64(n)) }

// Permute shuffles s in place (Fisher–Yates).
func (r *SeededRand) Permute(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
