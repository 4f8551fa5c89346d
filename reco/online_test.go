package reco

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// keepAll is a caller that may have every candidate.
func keepAll(ids []int) ([]int, error) { return ids, nil }

// clusteredOnline is an n-item model of 16-dimensional vectors in 40
// clusters, one artist per item, served with exact search.
func clusteredOnline(n int) *Online {
	const dim = 16
	vecs := newMixture(rand.New(rand.NewPCG(7, 8)), dim, 40).draw(n)
	m := &Model{Factors: Factors{N: n, K: dim, Data: make([]float64, n*dim)}}
	for i, x := range vecs {
		m.Factors.Data[i] = float64(x)
	}
	for i := range n {
		m.Items = append(m.Items, Item{ID: fmt.Sprintf("t%d", i), Artists: []string{fmt.Sprintf("a%d", i)}})
		m.Popular = append(m.Popular, int32(i))
	}
	return newOnline(m, n)
}

// The caller's check is asked of whole batches, not of each candidate,
// and what it refuses is never recommended: when it refuses most, the
// search widens until n are kept.
func TestRecommendChecksCandidatesInBatches(t *testing.T) {
	o := clusteredOnline(4000)
	var calls, asked int
	keepTenth := func(ids []int) ([]int, error) {
		calls, asked = calls+1, asked+len(ids)
		var kept []int
		for _, i := range ids {
			if i%10 == 0 {
				kept = append(kept, i)
			}
		}
		return kept, nil
	}
	got, err := o.Recommend([]int{1, 2}, 10, func(int) bool { return false }, keepTenth)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("%d recommendations, want 10: %v", len(got), got)
	}
	for _, i := range got {
		if i%10 != 0 || i == 1 || i == 2 {
			t.Fatalf("recommended %d: refused by the caller or a seed", i)
		}
	}
	if calls < 2 || calls > maxWiden+1 {
		t.Errorf("the caller was asked %d times, want 2 to %d (a widened search after the first)", calls, maxWiden+1)
	}
	t.Logf("%d candidates in %d batches", asked, calls)
}

// One batch is enough when the caller keeps everything, and the caller's
// error ends the request rather than passing as "nothing visible".
func TestRecommendAsksOnceAndPassesErrors(t *testing.T) {
	o := clusteredOnline(4000)
	calls := 0
	got, err := o.Recommend([]int{3}, 10, func(int) bool { return false }, func(ids []int) ([]int, error) {
		calls++
		return ids, nil
	})
	if err != nil || len(got) != 10 || calls != 1 {
		t.Fatalf("got %d recommendations (%v) after %d calls, want 10 after 1", len(got), err, calls)
	}
	if slices.Contains(got, 3) {
		t.Fatalf("recommended the seed: %v", got)
	}
	down := errors.New("catalogue down")
	if _, err := o.Recommend([]int{3}, 10, func(int) bool { return false }, func([]int) ([]int, error) { return nil, down }); !errors.Is(err, down) {
		t.Fatalf("err = %v, want the caller's", err)
	}
}

// A caller that keeps nothing gets nothing, after a bounded number of
// widenings.
func TestRecommendStopsWidening(t *testing.T) {
	o := clusteredOnline(4000)
	calls := 0
	got, err := o.Recommend([]int{3}, 10, func(int) bool { return false }, func([]int) ([]int, error) {
		calls++
		return nil, nil
	})
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v (%v), want nothing", got, err)
	}
	if calls > maxWiden+1 {
		t.Fatalf("asked %d times, want at most %d", calls, maxWiden+1)
	}
}
