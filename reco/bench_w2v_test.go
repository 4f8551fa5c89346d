package reco

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkWord2Vec trains playlist2vec on RECO_W2V_PLAYLISTS (default
// 100 k) planted-taste playlists of 30 tracks over RECO_W2V_VOCAB
// (default 50 k) tracks in 100 genres, with gensim's defaults and 64
// dimensions, and writes into $RECO_W2V_DIR the training corpus (one
// playlist per line), 2,000 held-out test playlists and our vectors, for
// reco/bench/w2v_gensim.py to train gensim on the same corpus and score
// both on playlist continuation.
func BenchmarkWord2Vec(b *testing.B) {
	dir := os.Getenv("RECO_W2V_DIR")
	if dir == "" {
		b.Skip("set RECO_W2V_DIR")
	}
	n, vocab := envInt("RECO_W2V_PLAYLISTS", 100_000), envInt("RECO_W2V_VOCAB", 50_000)
	const genres, length, tests = 100, 30, 2000
	r := rand.New(rand.NewPCG(11, 12))
	zipf := rand.NewZipf(r, 1.1, 3, uint64(vocab/genres-1))
	playlist := func() []int32 {
		gs := []int{r.IntN(genres), r.IntN(genres)}[:1+r.IntN(2)]
		out := make([]int32, length)
		for i := range out {
			out[i] = int32(int(zipf.Uint64())*genres + gs[r.IntN(len(gs))])
		}
		return out
	}
	train := make([][]int32, n)
	for i := range train {
		train[i] = playlist()
	}
	test := make([][]int32, tests)
	for i := range test {
		test[i] = playlist()
	}
	write := func(name string, ps [][]int32) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for _, p := range ps {
			for j, t := range p {
				if j > 0 {
					w.WriteByte(' ')
				}
				w.WriteString("t" + strconv.Itoa(int(t)))
			}
			w.WriteByte('\n')
		}
		w.Flush()
		f.Close()
	}
	write("corpus.txt", train)
	write("test.txt", test)
	opts := W2VOptions{Dim: 64, Seed: 1}
	for range b.N {
		t0, cpu0 := time.Now(), cpuSeconds()
		v, st, err := TrainWord2Vec(context.Background(), train, vocab, opts)
		if err != nil {
			b.Fatal(err)
		}
		wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-cpu0
		f, _ := os.Create(filepath.Join(dir, "vectors_go.txt"))
		w := bufio.NewWriter(f)
		fmt.Fprintf(w, "%d %d\n", v.N, v.Dim)
		for i := range v.N {
			w.WriteString("t" + strconv.Itoa(i))
			for _, x := range v.Vec(i) {
				fmt.Fprintf(w, " %.6f", x)
			}
			w.WriteByte('\n')
		}
		w.Flush()
		f.Close()
		raw := int64(n * length * 5)
		result(b, map[string]any{"bench": "word2vec", "impl": "go", "playlists": n, "vocab": vocab, "raw_words": raw,
			"effective_words": st.Words, "seconds": wall, "cpu_seconds": cpu, "raw_words_per_second": float64(raw) / wall,
			"raw_words_per_cpu_second": float64(raw) / cpu})
	}
}
