package searchtest

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// Floors the relevance set must reach on every engine.
const (
	MinHitAt1 = 0.9
	MinHitAt5 = 0.97
)

// Relevance loads the catalog into idx, runs every query of the test set
// through the public parameter parser and reports hit@1 (the top result
// across kinds is the wanted one) and hit@5 (it is among the five best).
func Relevance(t *testing.T, idx music.SearchIndex) {
	ctx := context.Background()
	docs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Index(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	qs, err := Queries()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 50 {
		t.Fatalf("relevance set has %d queries, want at least 50", len(qs))
	}
	var at1, at5 int
	byKind := map[string][2]int{}
	for _, rq := range qs {
		v := url.Values{"q": {rq.Q}, "type": {rq.Type}, "genre": {rq.Genre}}
		q, err := search.ParseParams(v)
		if err != nil {
			t.Fatalf("query %q: %v", rq.Q, err)
		}
		res, err := idx.Search(ctx, q)
		if err != nil {
			t.Fatalf("search %q: %v", rq.Q, err)
		}
		ranked := Merged(res)
		rank := slices.IndexFunc(ranked, rq.Want.Matches)
		k := byKind[rq.Kind]
		k[1]++
		switch {
		case rank == 0:
			at1++
			at5++
			k[0]++
		case rank > 0 && rank < 5:
			at5++
			t.Logf("miss@1 %-10s %q: want %v at rank %d, top %q by %v", rq.Kind, rq.Q, rq.Want, rank+1, ranked[0].Title, ranked[0].Artists)
		default:
			top := "nothing"
			if len(ranked) > 0 {
				top = ranked[0].Title
			}
			t.Logf("miss@5 %-10s %q: want %v, got %q first (did you mean %q)", rq.Kind, rq.Q, rq.Want, top, res.DidYouMean)
		}
		byKind[rq.Kind] = k
	}
	n := float64(len(qs))
	h1, h5 := float64(at1)/n, float64(at5)/n
	for kind, k := range byKind {
		t.Logf("  %-10s hit@1 %d/%d", kind, k[0], k[1])
	}
	t.Logf("relevance: %d queries, hit@1 %.3f, hit@5 %.3f", len(qs), h1, h5)
	if h1 < MinHitAt1 || h5 < MinHitAt5 {
		t.Errorf("relevance below floor: hit@1 %.3f (min %.2f), hit@5 %.3f (min %.2f)", h1, MinHitAt1, h5, MinHitAt5)
	}
}

// Merged flattens grouped results into one list, best score first.
func Merged(r *music.SearchResults) []music.SearchHit {
	var all []music.SearchHit
	for _, t := range music.DocTypes {
		if g := r.Group(t); g != nil {
			all = append(all, g.Items...)
		}
	}
	slices.SortStableFunc(all, func(a, b music.SearchHit) int { return cmp.Compare(b.Score, a.Score) })
	return all
}
