package reco

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmusic/music/internal/race"
	"gonum.org/v1/gonum/blas/blas32"
)

// playlist2vec: word2vec's skip-gram with negative sampling (Mikolov et
// al. 2013) where a playlist is a sentence and a track a word, so tracks
// that share playlist contexts get close vectors. The details follow the
// reference implementation (and gensim's): frequent words are subsampled
// with keep probability (√(f/s)+1)·s/f, the context window is shrunk at
// random to 1…Window, negatives are drawn from the unigram distribution
// raised to 0.75, and the learning rate decays linearly from Alpha to
// MinAlpha over all epochs. Workers update the shared weights without
// locks ("Hogwild"), as the reference does; under the race detector one
// worker runs so the tests stay meaningful.

// W2VOptions tunes TrainWord2Vec; zero fields take gensim's defaults
// (except Dim, 64 here).
type W2VOptions struct {
	Dim, Window, Negative, Epochs int
	MinCount                      int     // words rarer than this are dropped (default 1)
	Sample                        float64 // subsampling threshold (default 1e-3)
	Alpha, MinAlpha               float64 // default 0.025 → 0.0001
	Workers                       int
	Seed                          uint64
}

func (o *W2VOptions) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Dim, 64)
	def(&o.Window, 5)
	def(&o.Negative, 5)
	def(&o.Epochs, 5)
	def(&o.MinCount, 1)
	def(&o.Workers, runtime.GOMAXPROCS(0))
	if o.Sample <= 0 {
		o.Sample = 1e-3
	}
	if o.Alpha <= 0 {
		o.Alpha = 0.025
	}
	if o.MinAlpha <= 0 {
		o.MinAlpha = 0.0001
	}
	if race.Enabled {
		o.Workers = 1
	}
}

// W2VStats says how much work training did.
type W2VStats struct {
	Words   int64 // words trained on after subsampling, all epochs
	Seconds float64
}

// TrainWord2Vec learns one vector per word in [0, vocab) from sentences
// and returns the input vectors, normalised.
func TrainWord2Vec(ctx context.Context, sentences [][]int32, vocab int, o W2VOptions) (*Vectors, W2VStats, error) {
	o.defaults()
	start := time.Now()
	counts := make([]int64, vocab)
	var total int64
	for _, s := range sentences {
		for _, w := range s {
			counts[w]++
			total++
		}
	}
	keep := make([]uint32, vocab) // keep probability × 2³²
	for w, c := range counts {
		if c < int64(o.MinCount) {
			continue
		}
		f := float64(c) / float64(total)
		p := (math.Sqrt(f/o.Sample) + 1) * o.Sample / f
		keep[w] = uint32(math.Min(1, p) * math.MaxUint32)
	}
	table := unigramTable(counts, o.MinCount)
	dim := o.Dim
	r := rand.New(rand.NewPCG(o.Seed, 1))
	in := make([]float32, vocab*dim)
	for i := range in {
		in[i] = (r.Float32() - 0.5) / float32(dim)
	}
	out := make([]float32, vocab*dim)
	var done atomic.Int64 // sentences processed, for the learning rate
	totalWork := int64(len(sentences) * o.Epochs)
	var words atomic.Int64
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(o.Seed+uint64(w)*7919, 2))
			neu1e := vec32(make([]float32, dim))
			var sent []int32
			var n int64
			for ep := range o.Epochs {
				lo, hi := w*len(sentences)/o.Workers, (w+1)*len(sentences)/o.Workers
				for si := lo; si < hi; si++ {
					if si%1024 == 0 && ctx.Err() != nil {
						return
					}
					alpha := float32(o.Alpha - (o.Alpha-o.MinAlpha)*float64(done.Add(1))/float64(totalWork))
					_ = ep
					sent = sent[:0]
					for _, wd := range sentences[si] {
						if k := keep[wd]; k != 0 && rng.Uint32() <= k {
							sent = append(sent, wd)
						}
					}
					n += int64(len(sent))
					for pos, center := range sent {
						b := rng.IntN(o.Window)
						for c := max(0, pos-o.Window+b); c < min(len(sent), pos+o.Window-b+1); c++ {
							if c == pos {
								continue
							}
							// gensim/word2vec.c: the context word's input
							// vector predicts the centre word.
							// gonum's blas32 runs these 64-wide kernels in SIMD
							// assembly, about twice the scalar loops' speed.
							l1 := vec32(in[int(sent[c])*dim : int(sent[c])*dim+dim])
							clear(neu1e.Data)
							for d := 0; d <= o.Negative; d++ {
								target, label := center, float32(1)
								if d > 0 {
									target = table[rng.IntN(len(table))]
									if target == center {
										continue
									}
									label = 0
								}
								l2 := vec32(out[int(target)*dim : int(target)*dim+dim])
								g := (label - sigmoid(blas32.Dot(l1, l2))) * alpha
								blas32.Axpy(g, l2, neu1e) // with l2 before its update
								blas32.Axpy(g, l1, l2)
							}
							blas32.Axpy(1, neu1e, l1)
						}
					}
				}
			}
			words.Add(n)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, W2VStats{}, err
	}
	for w, c := range counts {
		if c < int64(o.MinCount) {
			clear(in[w*dim : w*dim+dim]) // unknown words match nothing
		}
	}
	return NewVectors(dim, in), W2VStats{Words: words.Load(), Seconds: time.Since(start).Seconds()}, nil
}

// vec32 views a contiguous slice as a BLAS vector.
func vec32(x []float32) blas32.Vector { return blas32.Vector{N: len(x), Inc: 1, Data: x} }

// unigramTable is the negative-sampling table: each word appears in
// proportion to count^0.75.
func unigramTable(counts []int64, minCount int) []int32 {
	const size = 1 << 22
	var sum float64
	for _, c := range counts {
		if c >= int64(minCount) {
			sum += math.Pow(float64(c), 0.75)
		}
	}
	table := make([]int32, 0, size)
	if sum == 0 {
		return []int32{0}
	}
	for w, c := range counts {
		if c < int64(minCount) {
			continue
		}
		n := int(math.Round(math.Pow(float64(c), 0.75) / sum * size))
		for range max(n, 1) {
			table = append(table, int32(w))
		}
	}
	return table
}

// sigmoidTable holds σ over [−6, 6] in 1,000 steps, as word2vec.c's
// EXP_TABLE does: the logistic is evaluated billions of times.
var sigmoidTable = func() (t [1001]float32) {
	for i := range t {
		x := (float64(i)/1000*2 - 1) * 6
		t[i] = float32(1 / (1 + math.Exp(-x)))
	}
	return t
}()

// sigmoid is clamped at ±6 as in word2vec.c, where the gradient vanishes.
func sigmoid(x float32) float32 {
	switch {
	case x >= 6:
		return 1
	case x <= -6:
		return 0
	}
	return sigmoidTable[int((x+6)*(1000.0/12))]
}
