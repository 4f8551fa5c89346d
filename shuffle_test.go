package music

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func artistsOf(names string) []ShuffleTrack {
	var ts []ShuffleTrack
	for _, c := range names {
		ts = append(ts, ShuffleTrack{ArtistID: string(c)})
	}
	return ts
}

func sameArtistNeighbours(ts []ShuffleTrack, order []int) int {
	n := 0
	for i := 1; i < len(order); i++ {
		if a := ts[order[i]].ArtistID; a != "" && a == ts[order[i-1]].ArtistID {
			n++
		}
	}
	return n
}

func isPermutation(order []int, n int) bool {
	s := slices.Clone(order)
	slices.Sort(s)
	return slices.Equal(s, identity(n))
}

func TestDitherShuffleBasics(t *testing.T) {
	cases := []struct {
		name    string
		artists string
		maxAdj  int // same-artist neighbours allowed
	}{
		{"empty", "", 0},
		{"one", "A", 0},
		{"design notes: 4 each of A, B, C", "AAAABBBBCCCC", 0},
		{"two artists, half each", "AAAAABBBBB", 0},
		{"odd: ceil(n/2) of one artist", "AAAABBB", 0},
		{"one artist only", "AAAA", 3},
		{"7 of 10 by one artist", "AAAAAAABBB", 3},
		{"all different", "ABCDEFGHIJ", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := artistsOf(c.artists)
			for seed := uint64(0); seed < 200; seed++ {
				order := DitherShuffle(ts, seed)
				if !isPermutation(order, len(ts)) {
					t.Fatalf("seed %d: %v is not a permutation of %d", seed, order, len(ts))
				}
				if adj := sameArtistNeighbours(ts, order); adj > c.maxAdj {
					t.Fatalf("seed %d: %d same-artist neighbours, want <= %d: %s", seed, adj, c.maxAdj, spell(ts, order))
				}
			}
		})
	}
}

func spell(ts []ShuffleTrack, order []int) string {
	var b strings.Builder
	for _, i := range order {
		b.WriteString(ts[i].ArtistID)
	}
	return b.String()
}

func TestDitherShuffleDeterministic(t *testing.T) {
	ts := artistsOf("AAAABBBBCCCCDDEEFG")
	a, b := DitherShuffle(ts, 42), DitherShuffle(ts, 42)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different orders: %v %v", a, b)
	}
	distinct := map[string]bool{}
	for seed := uint64(0); seed < 50; seed++ {
		distinct[fmt.Sprint(DitherShuffle(ts, seed))] = true
	}
	if len(distinct) < 45 {
		t.Errorf("50 seeds gave only %d distinct orders", len(distinct))
	}
}

// The jitter and the random start must still let any track come first.
func TestDitherShuffleEveryTrackCanOpen(t *testing.T) {
	ts := artistsOf("AAAABBBBCCCC")
	first := map[int]int{}
	for seed := uint64(0); seed < 3000; seed++ {
		first[DitherShuffle(ts, seed)[0]]++
	}
	for i := range ts {
		if first[i] < 100 { // 250 expected
			t.Errorf("track %d opened %d of 3000 orders", i, first[i])
		}
	}
}

// A pinned order: SplitMix64 and the algorithm fix it, so a change here
// means devices of two versions would disagree about the same seed.
func TestDitherShuffleGolden(t *testing.T) {
	ts := artistsOf("AAAABBBBCCCC")
	got := DitherShuffle(ts, 7)
	want := []int{1, 8, 4, 2, 9, 7, 0, 10, 6, 3, 11, 5}
	if !slices.Equal(got, want) {
		t.Errorf("DitherShuffle(AAAABBBBCCCC, 7) = %v (%s), want %v", got, spell(ts, got), want)
	}
}

func TestSeededRandKnownValues(t *testing.T) {
	// SplitMix64's published reference outputs for seed 1234567 (Rosetta
	// Code, "Pseudo-random numbers/Splitmix64").
	r := &SeededRand{State: 1234567}
	want := []uint64{6457827717110365317, 3203168211198807973, 9817491932198370423}
	for i, w := range want {
		if got := r.Uint64(); got != w {
			t.Fatalf("output %d = %d, want %d", i, got, w)
		}
	}
}

func TestDitherShuffleGenreAndTempo(t *testing.T) {
	// Every track by its own artist, so only genre and tempo steer.
	var ts []ShuffleTrack
	for i := range 24 {
		g, tempo := "rock", 90.0+float64(i%6)
		if i%2 == 1 {
			g, tempo = "jazz", 140.0+float64(i%6)
		}
		if i%3 == 0 {
			g = "folk"
		}
		ts = append(ts, ShuffleTrack{ArtistID: fmt.Sprint("a", i), Genre: g, Tempo: tempo})
	}
	var ditherRuns, fyRuns, ditherJumps, fyJumps int
	for seed := uint64(0); seed < 300; seed++ {
		d := DitherShuffle(ts, seed)
		fy := identity(len(ts))
		(&SeededRand{State: seed}).Permute(fy)
		ditherRuns += genreRuns3(ts, d)
		fyRuns += genreRuns3(ts, fy)
		ditherJumps += tempoJumps(ts, d)
		fyJumps += tempoJumps(ts, fy)
	}
	t.Logf("300 orders of 24 tracks: genre runs of 3: dither %d, Fisher-Yates %d; tempo jumps > %g BPM: dither %d, Fisher-Yates %d",
		ditherRuns, fyRuns, shuffleTempoGap, ditherJumps, fyJumps)
	if ditherRuns*4 > fyRuns {
		t.Errorf("genre runs of three: dither %d, want under a quarter of Fisher-Yates's %d", ditherRuns, fyRuns)
	}
	if ditherJumps*3 > fyJumps*2 {
		t.Errorf("tempo jumps: dither %d, want under two thirds of Fisher-Yates's %d", ditherJumps, fyJumps)
	}
}

func genreRuns3(ts []ShuffleTrack, order []int) int {
	n := 0
	for i := 2; i < len(order); i++ {
		g := ts[order[i]].Genre
		if g == ts[order[i-1]].Genre && g == ts[order[i-2]].Genre {
			n++
		}
	}
	return n
}

func tempoJumps(ts []ShuffleTrack, order []int) int {
	n := 0
	for i := 1; i < len(order); i++ {
		if math.Abs(ts[order[i]].Tempo-ts[order[i-1]].Tempo) > shuffleTempoGap {
			n++
		}
	}
	return n
}

// randomLibrary draws a library of 2–400 tracks whose artists follow a
// skewed (Zipf-like) popularity, as real libraries do.
func randomLibrary(r *SeededRand) []ShuffleTrack {
	n := 2 + r.IntN(399)
	artists := 1 + r.IntN(max(1, n/2))
	ts := make([]ShuffleTrack, n)
	for i := range ts {
		// Inverse-CDF of a 1/k weight over artists, approximated by u^2.
		u := r.Float64()
		a := int(u * u * float64(artists))
		ts[i] = ShuffleTrack{ArtistID: fmt.Sprint("artist-", a)}
	}
	return ts
}

func maxShare(ts []ShuffleTrack) int {
	c := map[string]int{}
	m := 0
	for _, t := range ts {
		c[t.ArtistID]++
		m = max(m, c[t.ArtistID])
	}
	return m
}

// TestShuffleAdjacencyTable is the table: for 1,000 random
// libraries, the rate of same-artist neighbours under Fisher-Yates and
// under the dithered shuffle, and the rule that a library where no artist
// holds more than half of the tracks gets none. `go test -run
// TestShuffleAdjacencyTable -v .` prints the table for docs/benchmarks.
func TestShuffleAdjacencyTable(t *testing.T) {
	type row struct {
		libs, withAdj [2]int
		pairs, adj    [2]int
	}
	var rows [2]row // 0: no artist over half, 1: one artist over half
	gen := &SeededRand{State: 2026}
	for lib := range 1000 {
		ts := randomLibrary(gen)
		seed := gen.Uint64()
		fy := identity(len(ts))
		(&SeededRand{State: seed}).Permute(fy)
		orders := [2][]int{fy, DitherShuffle(ts, seed)}
		k := 0
		if 2*maxShare(ts) > len(ts) {
			k = 1
		}
		for alg, order := range orders {
			adj := sameArtistNeighbours(ts, order)
			rows[k].libs[alg]++
			rows[k].pairs[alg] += len(ts) - 1
			rows[k].adj[alg] += adj
			if adj > 0 {
				rows[k].withAdj[alg]++
			}
		}
		// The fewest possible: m-1-(n-m) when the top artist has m > n/2.
		least := max(0, 2*maxShare(ts)-len(ts)-1)
		if got := sameArtistNeighbours(ts, orders[1]); got != least {
			t.Errorf("library %d (%d tracks, top artist %d): %d same-artist neighbours, the fewest possible is %d", lib, len(ts), maxShare(ts), got, least)
		}
	}
	var b strings.Builder
	b.WriteString("| libraries | count | same-artist neighbour rate, Fisher-Yates | dithered | libraries with any, Fisher-Yates | dithered |\n| --- | --- | --- | --- | --- | --- |\n")
	for k, name := range []string{"no artist over half", "one artist over half"} {
		r := rows[k]
		rate := func(alg int) float64 { return float64(r.adj[alg]) / float64(max(1, r.pairs[alg])) }
		fmt.Fprintf(&b, "| %s | %d | %.2f%% | %.2f%% | %d | %d |\n", name, r.libs[0], 100*rate(0), 100*rate(1), r.withAdj[0], r.withAdj[1])
		if rate(1) > rate(0) {
			t.Errorf("%s: dithered rate %.4f above Fisher-Yates %.4f", name, rate(1), rate(0))
		}
	}
	t.Log("\n" + b.String())
}
