package bleve

import (
	"cmp"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// textQuery builds kind's query for the looked-up query words, never
// parsing user text: every word must match in some field exactly or (the
// last word, when prefix is set) as the start of a word, or, when fuzzy
// is set, within its fuzziness. It returns nil when some word can match
// nothing in kind, which is then not searched.
func textQuery(ws []wordTerms, kind music.DocType, prefix, fuzzy bool) (query.Query, error) {
	all := make([]query.Query, 0, len(ws))
	for i, w := range ws {
		last := prefix && i == len(ws)-1
		var near []nearTerm
		if w.expanded && fuzzy {
			n, err := w.near()
			if err != nil {
				return nil, err
			}
			near = n[kind]
		}
		if w.expanded && !w.inKind[kind] && len(near) == 0 && !last {
			return nil, nil // neither the word nor a near term is in kind
		}
		all = append(all, wordQuery(w, near, last, fuzzy))
	}
	return query.NewConjunctionQuery(all), nil
}

func wordQuery(w wordTerms, near []nearTerm, prefix, fuzzy bool) query.Query {
	var any []query.Query
	if fz := search.Fuzziness(w.word); fuzzy && fz > 0 {
		// One fuzzy clause over all text fields: a Levenshtein automaton
		// per field would cost three times as much for little gain.
		any = append(any, fuzzyClause(w, near, fz))
	}
	for _, f := range search.Fields {
		any = append(any, match(w.word, f.Name, f.Boost, 0))
		if prefix && f.Prefix {
			// The edge-n-gram field is searched with the plain analyzer,
			// so "bohem" is one term that the n-grams of "bohemian" hold.
			any = append(any, match(w.word, f.Name+"_prefix", f.Boost*search.PrefixWeight, 0))
		}
	}
	return query.NewDisjunctionQuery(any)
}

// fuzzyClause matches the word's near terms in a kind, each weighted as
// Bleve's fuzzy query weighs it (boost / (edits + 1)), so scores are as
// with a Bleve fuzzy query, without building its automaton per kind. A
// word that was not looked up keeps Bleve's fuzzy query.
func fuzzyClause(w wordTerms, near []nearTerm, fz int) query.Query {
	if !w.expanded {
		return match(w.word, fieldAll, search.FuzzyBoost, fz)
	}
	if len(near) == 0 {
		// Matches nothing, as Bleve's fuzzy query without candidates, and
		// counts in the word's coordination factor as that would.
		return match(w.word, fieldAll, search.FuzzyBoost, 0)
	}
	near = closestTerms(near, search.FuzzyMaxExpansions)
	terms := make([]query.Query, len(near))
	for i, n := range near {
		tq := query.NewTermQuery(n.term)
		tq.SetField(fieldAll)
		tq.SetBoost(search.FuzzyBoost / float64(n.edits+1))
		terms[i] = tq
	}
	return query.NewDisjunctionQuery(terms)
}

func match(w, field string, boost float64, fuzziness int) *query.MatchQuery {
	m := query.NewMatchQuery(w)
	m.SetField(field)
	m.SetBoost(boost)
	if fuzziness > 0 {
		m.SetFuzziness(fuzziness)
		m.SetPrefix(search.FuzzyPrefix)
	}
	m.Analyzer = textAnalyzer
	// A CJK word analyzes to several bigrams; all of them must match.
	m.SetOperator(query.MatchQueryOperatorAnd)
	return m
}

// closestTerms keeps the n terms with fewest edits, ties alphabetical.
func closestTerms(near []nearTerm, n int) []nearTerm {
	if len(near) <= n {
		return near
	}
	near = slices.Clone(near)
	slices.SortFunc(near, func(a, b nearTerm) int {
		return cmp.Or(cmp.Compare(a.edits, b.edits), strings.Compare(a.term, b.term))
	})
	return near[:n]
}

// filtered adds the genre filter; it adds nothing to the score. Kinds
// need no filter: each has an index of its own.
func filtered(q query.Query, genre string) query.Query {
	if genre == "" {
		return q
	}
	gq := query.NewMatchQuery(genre) // analyzed: folded and lowercased
	gq.SetField(fieldGenre)
	gq.SetBoost(0)
	return query.NewConjunctionQuery([]query.Query{q, gq})
}
