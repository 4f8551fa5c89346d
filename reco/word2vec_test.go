package reco

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestWord2VecLearnsPlantedGenres trains on playlists that each stay in
// one of 20 genres of 25 tracks, and asks that a track's 10 nearest
// neighbours be mostly of its genre (chance is 1 in 20). Dim 32 runs the
// AVX2 kernels where the CPU has them, dim 30 the Go loops.
func TestWord2VecLearnsPlantedGenres(t *testing.T) {
	const genres, perGenre, playlists, length = 20, 25, 2000, 20
	r := rand.New(rand.NewPCG(5, 6))
	sentences := make([][]int32, playlists)
	for i := range sentences {
		g := r.IntN(genres)
		s := make([]int32, length)
		for j := range s {
			s[j] = int32(g*perGenre + r.IntN(perGenre))
		}
		sentences[i] = s
	}
	vocab := genres * perGenre
	for _, dim := range []int{32, 30} {
		v, st, err := TrainWord2Vec(context.Background(), sentences, vocab, W2VOptions{Dim: dim, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if st.Words <= 0 || st.Words > int64(5*playlists*length) {
			t.Errorf("dim %d: %d words trained, want 1…%d", dim, st.Words, 5*playlists*length)
		}
		same, all := 0, 0
		for w := range vocab {
			for _, n := range v.Nearest(v.Vec(w), 11, func(i int) bool { return i == w }) {
				all++
				if n.Item/perGenre == w/perGenre {
					same++
				}
			}
		}
		if frac := float64(same) / float64(all); frac < 0.9 {
			t.Errorf("dim %d: %.3f of nearest neighbours share the genre, want ≥ 0.9", dim, frac)
		}
	}
}

// TestAliasTableDrawsUnigramToThe075 checks the negative sampler's
// frequencies against count^0.75, and that a word under min_count is
// never drawn.
func TestAliasTableDrawsUnigramToThe075(t *testing.T) {
	counts := []int64{1000, 10, 0, 3, 250, 1, 40}
	const minCount = 2
	table := newAliasTable(counts, minCount)
	var sum float64
	for _, c := range counts {
		if c >= minCount {
			sum += math.Pow(float64(c), 0.75)
		}
	}
	rng := newW2VRand(9)
	const draws = 2_000_000
	got := make([]int, len(counts))
	for range draws {
		got[table.sample(rng.uint64())]++
	}
	for w, c := range counts {
		want := 0.0
		if c >= minCount {
			want = math.Pow(float64(c), 0.75) / sum
		}
		p := float64(got[w]) / draws
		if math.Abs(p-want) > 4*math.Sqrt(want*(1-want)/draws)+1e-9 {
			t.Errorf("word %d (count %d): drawn %.5f, want %.5f", w, c, p, want)
		}
	}
}

// TestWord2VecOnNothing: a batch over an empty catalog, or one whose
// words all fall under min_count, trains nothing and does not panic
// (the first negative draw once read an output row that did not exist).
func TestWord2VecOnNothing(t *testing.T) {
	for _, c := range []struct {
		name      string
		sentences [][]int32
		vocab     int
	}{
		{"no words", nil, 0},
		{"empty playlists", [][]int32{{}, {}}, 0},
		{"all under min count", [][]int32{{0, 1}, {2}}, 3},
	} {
		v, st, err := TrainWord2Vec(context.Background(), c.sentences, c.vocab, W2VOptions{Dim: 16, Seed: 1, MinCount: 5})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if v.N != c.vocab || st.Words != 0 {
			t.Errorf("%s: %d vectors, %d words trained; want %d, 0", c.name, v.N, st.Words, c.vocab)
		}
	}
}
