package bleve

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/search"
)

// TestFuzzyClauseScoresAsBleveFuzzy checks that the fuzzy clause built
// from the shared look-up matches the same documents with the same scores
// as Bleve's own fuzzy query, which builds its automaton per kind.
func TestFuzzyClauseScoresAsBleveFuzzy(t *testing.T) {
	x, err := Open(t.TempDir(), Options{Now: searchtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	docs, _ := searchtest.Catalog()
	if _, err := x.Reindex(context.Background(), searchtest.Slice(docs)); err != nil {
		t.Fatal(err)
	}
	// An unknown word (typo), a known one, one with a near term only in
	// some kinds, and one with no near term at all.
	for _, word := range []string{"lihgts", "lights", "weekend", "beyonse", "qqqzzz"} {
		ws, release, err := x.expandWords(word)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		if len(ws) != 1 || !ws[0].expanded {
			t.Fatalf("%q not looked up: %+v", word, ws)
		}
		near, err := ws[0].near()
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range music.DocTypes {
			want := scores(t, x.cur.kinds[kind], match(word, fieldAll, search.FuzzyBoost, search.Fuzziness(word)))
			got := scores(t, x.cur.kinds[kind], fuzzyClause(ws[0], near[kind], search.Fuzziness(word)))
			if len(got) != len(want) {
				t.Errorf("%q in %s: %d hits, Bleve's fuzzy query %d", word, kind, len(got), len(want))
			}
			for id, s := range want {
				if math.Abs(got[id]-s) > 1e-9*s {
					t.Errorf("%q in %s: %s scores %g, Bleve's fuzzy query %g", word, kind, id, got[id], s)
				}
			}
		}
	}
}

func scores(t *testing.T, idx bleve.Index, q query.Query) map[string]float64 {
	t.Helper()
	sr, err := idx.Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range sr.Hits {
		out[h.ID] = h.Score
	}
	return out
}

// TestClosestTerms keeps the FuzzyMaxExpansions nearest terms, as
// Elasticsearch's max_expansions does: fewest edits first.
func TestClosestTerms(t *testing.T) {
	var near []nearTerm
	for i := range 60 {
		near = append(near, nearTerm{term: fmt.Sprintf("t%02d", i), edits: uint8(2 - i%2)})
	}
	got := closestTerms(near, 50)
	if len(got) != 50 {
		t.Fatalf("kept %d terms", len(got))
	}
	for i, n := range got { // the 30 one-edit terms, then 20 of two edits
		if want := uint8(1 + i/30); n.edits != want {
			t.Fatalf("term %d: %+v, want %d edits", i, n, want)
		}
	}
	if got[0].term != "t01" || got[30].term != "t00" {
		t.Errorf("ties not alphabetical: %s, %s", got[0].term, got[30].term)
	}
	if near[0].term != "t00" {
		t.Error("closestTerms reordered its input")
	}
}
