package reco

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/openmusic/music/internal/race"
)

func TestIVFProbingEveryListIsExact(t *testing.T) {
	// Two cores at least, so that the larger index's queries, which scan
	// more than ivfParallelRows rows, split the lists between goroutines.
	defer runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	for _, n := range []int{5000, 2 * ivfParallelRows} {
		r := rand.New(rand.NewPCG(1, 2))
		const dim = 16
		mix := newMixture(r, dim, 50)
		v := NewVectors(dim, mix.draw(n))
		x := BuildIVF(v, 50, 50, 5, 1)
		qs := mix.draw(20)
		odd := func(i int) bool { return i%2 == 1 }
		for q := range 20 {
			query := qs[q*dim : (q+1)*dim]
			want, got := v.Nearest(query, 10, odd), x.Nearest(query, 10, odd)
			if len(got) != 10 || len(want) != 10 {
				t.Fatalf("%d rows, query %d: %d and %d results, want 10", n, q, len(got), len(want))
			}
			for i := range want {
				if got[i].Item != want[i].Item {
					t.Fatalf("%d rows, query %d rank %d: IVF %v, exact %v", n, q, i, got[i], want[i])
				}
				if got[i].Item%2 == 1 {
					t.Fatalf("%d rows, query %d: row %d was to be skipped", n, q, got[i].Item)
				}
			}
		}
	}
}

func TestIVFRecallWithFewProbes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const dim, n = 32, 20000
	mix := newMixture(r, dim, 100)
	v := NewVectors(dim, mix.draw(n))
	x := BuildIVF(v, 100, 2, 6, 7)
	qs := mix.draw(200)
	found := 0
	for q := range 100 {
		// Two seeds' sum, as the seed route asks: between clusters, the
		// hard case for an IVF.
		query := make([]float32, dim)
		for j := range query {
			query[j] = qs[2*q*dim+j] + qs[(2*q+1)*dim+j]
		}
		exact := map[int]bool{}
		for _, s := range v.Nearest(query, 10, nil) {
			exact[s.Item] = true
		}
		for _, s := range x.Nearest(query, 10, nil) {
			if exact[s.Item] {
				found++
			}
		}
	}
	t.Logf("recall@10, 2 of 100 lists probed: %.3f", float64(found)/1000)
	// Probing 2 of 100 lists scans about 2 % of the rows.
	if recall := float64(found) / 1000; recall < 0.9 {
		t.Errorf("recall@10 with 2 of 100 lists probed: %.3f, want ≥ 0.9", recall)
	}
}

func TestIVFOnNoRows(t *testing.T) {
	x := BuildIVF(NewVectors(8, nil), 10, 2, 3, 1)
	if got := x.Nearest(make([]float32, 8), 5, nil); len(got) != 0 {
		t.Errorf("empty index answered %v", got)
	}
}

// A catalogue over the exact-search limit is searched through the IVF
// index, and seed-based answers still skip seeds and rejected items and
// mostly agree with the exact search.
func TestOnlineUsesIVFInLargeCatalogues(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n, dim = 4000, 16
	vecs := newMixture(r, dim, 40).draw(n)
	m := &Model{Factors: Factors{N: n, K: dim, Data: make([]float64, n*dim)}}
	for i, x := range vecs {
		m.Factors.Data[i] = float64(x)
	}
	for i := range n {
		m.Items = append(m.Items, Item{ID: fmt.Sprintf("t%d", i), Artists: []string{fmt.Sprintf("a%d", i)}})
		m.Popular = append(m.Popular, int32(i))
	}
	exact, approx := newOnline(m, n), newOnline(m, n-1)
	if _, ok := approx.search.(*IVF); !ok {
		t.Fatalf("a %d-item catalogue over the limit is searched by %T", n, approx.search)
	}
	if _, ok := exact.search.(*Vectors); !ok {
		t.Fatalf("a catalogue at the limit is searched by %T", exact.search)
	}
	if got, want := approx.Search(), "ivf 63 lists, probe 8"; got != want {
		t.Errorf("IVF search described as %q, want %q", got, want)
	}
	if got := exact.Search(); got != "exact" {
		t.Errorf("exact search described as %q", got)
	}
	skip := func(i int) bool { return i%3 == 0 }
	agree := 0
	for s := range 20 {
		seeds := []int{s*7 + 1, s*11 + 2}
		want, _ := exact.Recommend(seeds, 10, skip, keepAll)
		got, _ := approx.Recommend(seeds, 10, skip, keepAll)
		if len(got) != 10 {
			t.Fatalf("seeds %v: %d recommendations, want 10", seeds, len(got))
		}
		for _, i := range got {
			if skip(i) || slices.Contains(seeds, i) {
				t.Fatalf("seeds %v: recommended %d, a seed or rejected", seeds, i)
			}
			if slices.Contains(want, i) {
				agree++
			}
		}
	}
	t.Logf("IVF answers agree with exact search on %d of 200", agree)
	if agree < 150 {
		t.Errorf("IVF answers agree with exact search on %d of 200, want ≥ 150", agree)
	}
}

// A query that one core answers allocates only its answer: the query's
// copy, the centroid scores and the heaps come from the index's pool.
func TestIVFQueryAllocatesOnlyItsAnswer(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop a share of what is put back, so a query may allocate its scratch")
	}
	r := rand.New(rand.NewPCG(7, 8))
	const dim = 16
	mix := newMixture(r, dim, 20)
	v := NewVectors(dim, mix.draw(4000))
	x := BuildIVF(v, 20, 3, 4, 1)
	q := mix.draw(1)
	x.Nearest(q, 10, nil) // fills the pool
	if n := testing.AllocsPerRun(100, func() { x.Nearest(q, 10, nil) }); n > 1 {
		t.Errorf("an IVF query allocated %.1f times, want 1 (its answer)", n)
	}
}

// A query of the wrong width is refused by name rather than scored
// against rows read out of step.
func TestNearestRejectsAQueryOfTheWrongDimension(t *testing.T) {
	v := NewVectors(8, make([]float32, 80))
	for name, search := range map[string]interface {
		Nearest([]float32, int, func(int) bool) []Scored
	}{"exact": v, "IVF": BuildIVF(v, 2, 1, 1, 1)} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, "7-dimensional query against 8-dimensional") {
					t.Errorf("%s: a 7-float query against 8-float rows: panic %q", name, msg)
				}
			}()
			search.Nearest(make([]float32, 7), 3, nil)
		}()
	}
}
