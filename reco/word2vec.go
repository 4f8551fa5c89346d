package reco

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmusic/music/internal/race"
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
// worker runs so the tests stay meaningful. Speed comes from keeping the
// memory system busy: negatives are drawn in constant time from an alias
// table that fits in cache, one pair ahead so their rows can be
// prefetched, the matrices sit on huge pages, and the 64-wide dot product
// and updates run in AVX2 assembly (kernels_amd64.s).

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
	if vocab == 0 { // nothing to learn, and no output row for a negative
		return NewVectors(o.Dim, nil), W2VStats{}, nil
	}
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
	negatives := newAliasTable(counts, o.MinCount)
	dim, window, negative := o.Dim, o.Window, o.Negative
	r := rand.New(rand.NewPCG(o.Seed, 1))
	in, freeIn := hugeFloats(vocab * dim)
	defer freeIn()
	for i := range in {
		in[i] = (r.Float32() - 0.5) / float32(dim)
	}
	out, freeOut := hugeFloats(vocab * dim)
	defer freeOut()
	var done atomic.Int64 // sentences processed, for the learning rate
	totalWork := int64(len(sentences) * o.Epochs)
	var words atomic.Int64
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := w2vWorker{in: in, out: out, dim: dim, window: window, negatives: negatives,
				rng: newW2VRand(o.Seed + uint64(w)*7919), neu1e: make([]float32, dim),
				negs: make([]int32, negative), next: make([]int32, negative)}
			t.draw(t.next)
			var n int64
			lo, hi := w*len(sentences)/o.Workers, (w+1)*len(sentences)/o.Workers
			for range o.Epochs {
				for si := lo; si < hi; si++ {
					if si%1024 == 0 && ctx.Err() != nil {
						return
					}
					alpha := float32(o.Alpha - (o.Alpha-o.MinAlpha)*float64(done.Add(1))/float64(totalWork))
					n += t.sentence(sentences[si], keep, alpha)
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
	return NewVectors(dim, append([]float32(nil), in...)), W2VStats{Words: words.Load(), Seconds: time.Since(start).Seconds()}, nil
}

// w2vWorker is one Hogwild thread's state. Its inner loop is memory
// bound: each negative's output row is a random row of a matrix that
// outgrows the caches at tens of thousands of words. So the negatives of
// the next (centre, context) pair are drawn one pair ahead and their rows
// prefetched, and so are the rows the next position will need.
type w2vWorker struct {
	in, out     []float32
	dim, window int
	negatives   aliasTable
	rng         w2vRand
	neu1e       []float32
	sent        []int32
	negs, next  []int32 // this pair's negatives and the next pair's
}

// draw fills negs from the unigram^0.75 table and prefetches their rows.
func (t *w2vWorker) draw(negs []int32) {
	for i := range negs {
		w := t.negatives.sample(t.rng.uint64())
		negs[i] = w
		prefetch32(t.out[int(w)*t.dim:][:t.dim])
	}
}

// sentence trains on one sentence after subsampling it with keep and
// returns how many words it kept.
func (t *w2vWorker) sentence(words []int32, keep []uint32, alpha float32) int64 {
	sent := t.sent[:0]
	for _, wd := range words {
		if k := keep[wd]; k != 0 && t.rng.uint32() <= k {
			sent = append(sent, wd)
		}
	}
	t.sent = sent
	dim, window := t.dim, t.window
	for pos, center := range sent {
		if ahead := pos + window; ahead < len(sent) { // enters the window next
			prefetch32(t.in[int(sent[ahead])*dim:][:dim])
		}
		if pos+1 < len(sent) {
			prefetch32(t.out[int(sent[pos+1])*dim:][:dim])
		}
		b := t.rng.intn(window)
		for c := max(0, pos-window+b); c < min(len(sent), pos+window-b+1); c++ {
			if c == pos {
				continue
			}
			t.negs, t.next = t.next, t.negs
			t.draw(t.next)
			// gensim/word2vec.c: the context word's input vector
			// predicts the centre word.
			l1 := t.in[int(sent[c])*dim:][:dim]
			clear(t.neu1e)
			t.step(l1, center, 1, alpha)
			for _, target := range t.negs {
				if target != center {
					t.step(l1, target, 0, alpha)
				}
			}
			axpy32(1, t.neu1e, l1)
		}
	}
	return int64(len(sent))
}

// step is one logistic-regression update of target's output row towards
// label, accumulating the input row's gradient in neu1e.
func (t *w2vWorker) step(l1 []float32, target int32, label, alpha float32) {
	l2 := t.out[int(target)*t.dim:][:t.dim]
	g := (label - sigmoid(dot32(l1, l2))) * alpha
	sgnsUpdate(g, l1, l2, t.neu1e) // neu1e += g·l2, then l2 += g·l1
}

// aliasTable draws negatives from the unigram distribution raised to
// 0.75 in constant time by Walker's alias method: one 8-byte slot per
// word, where word2vec.c's 10⁸-entry table (or a 4 M one) costs a cache
// miss per draw. A draw picks slot w with the high 32 bits of a random
// word, then keeps w or takes its alias by the low 32. Words under
// min_count have no mass: their slot always gives the alias.
type aliasTable []aliasSlot

type aliasSlot struct {
	keep  uint32 // probability of the slot's own word × 2³²
	alias int32
}

func newAliasTable(counts []int64, minCount int) aliasTable {
	t := make(aliasTable, max(len(counts), 1))
	mass := make([]float64, len(t)) // each slot's share × len(t): 1 on average
	var sum float64
	for w, c := range counts {
		if c > 0 && c >= int64(minCount) {
			mass[w] = math.Pow(float64(c), 0.75)
			sum += mass[w]
		}
	}
	if sum == 0 {
		return aliasTable{{keep: math.MaxUint32}}
	}
	var small, large []int
	for w := range mass {
		t[w] = aliasSlot{keep: math.MaxUint32, alias: int32(w)}
		if mass[w] *= float64(len(t)) / sum; mass[w] < 1 {
			small = append(small, w)
		} else {
			large = append(large, w)
		}
	}
	// Fill each under-full slot from an over-full one; what is left over
	// is full up to rounding and keeps its own word.
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t[s] = aliasSlot{keep: uint32(mass[s] * math.MaxUint32), alias: int32(l)}
		if mass[l] -= 1 - mass[s]; mass[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	return t
}

func (t aliasTable) sample(r uint64) int32 {
	w := (r >> 32) * uint64(len(t)) >> 32
	if s := t[w]; uint32(r) >= s.keep {
		return s.alias
	}
	return int32(w)
}

// w2vRand is wyrand (Wang Yi's generator): one add and one 64×64→128
// multiply per number, cheap enough for the inner loop, which draws
// several per trained pair; math/rand's generators cost more per call.
type w2vRand struct{ state uint64 }

func newW2VRand(seed uint64) w2vRand { return w2vRand{state: seed} }

func (r *w2vRand) uint64() uint64 {
	r.state += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.state, r.state^0xe7037ed1a0b428db)
	return hi ^ lo
}

func (r *w2vRand) uint32() uint32 { return uint32(r.uint64() >> 32) }

// intn is uniform in [0, n) for small n (Lemire's multiply-shift; the
// bias is below n/2³²).
func (r *w2vRand) intn(n int) int { return int(uint64(r.uint32()) * uint64(n) >> 32) }

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
