package bleve

import (
	"github.com/blevesearch/bleve/v2/search/query"

	music "github.com/openmusic/music"
)

// textQuery builds kind's query for the looked-up query words, never
// parsing user text: every word must match in some field, exactly, within
// its fuzziness, or (the last word, when prefix is set) as the start of a
// word. It returns nil when some word can match nothing in kind.
func textQuery(words []wordTerms, kind music.DocType, prefix bool) query.Query {
	all := make([]query.Query, 0, len(words))
	for i, w := range words {
		last := prefix && i == len(words)-1
		if w.expanded && !w.inKind[kind] && len(w.near[kind]) == 0 && !last {
			return nil // neither the word nor a near term is in kind
		}
		all = append(all, wordQuery(w, kind, last))
	}
	return query.NewConjunctionQuery(all)
}

func wordQuery(w wordTerms, kind music.DocType, prefix bool) query.Query {
	var any []query.Query
	if w.fuzzyIn(kind) {
		// One fuzzy clause over all text fields: a Levenshtein automaton
		// per field would cost three times as much for little gain.
		any = append(any, fuzzyClause(w, kind, music.Fuzziness(w.word)))
	}
	for _, f := range music.SearchFields {
		any = append(any, match(w.word, f.Name, f.Boost, 0))
		if prefix && f.Prefix {
			// The edge-n-gram field is searched with the plain analyzer,
			// so "bohem" is one term that the n-grams of "bohemian" hold.
			any = append(any, match(w.word, f.Name+"_prefix", f.Boost*music.PrefixWeight, 0))
		}
	}
	return query.NewDisjunctionQuery(any)
}

// fuzzyClause matches the word's near terms in kind, each weighted as
// Bleve's fuzzy query weighs it (boost / (edits + 1)), so scores are as
// with a Bleve fuzzy query, without building its automaton per kind. A
// word that was not looked up keeps Bleve's fuzzy query.
func fuzzyClause(w wordTerms, kind music.DocType, fz int) query.Query {
	if !w.expanded {
		return match(w.word, fieldAll, music.FuzzyBoost, fz)
	}
	near := w.near[kind]
	if len(near) == 0 {
		// Matches nothing, as Bleve's fuzzy query without candidates, and
		// counts in the word's coordination factor as that would.
		return match(w.word, fieldAll, music.FuzzyBoost, 0)
	}
	terms := make([]query.Query, len(near))
	for i, n := range near {
		tq := query.NewTermQuery(n.term)
		tq.SetField(fieldAll)
		tq.SetBoost(music.FuzzyBoost / float64(n.edits+1))
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
		m.SetPrefix(music.FuzzyPrefix)
	}
	m.Analyzer = textAnalyzer
	// A CJK word analyzes to several bigrams; all of them must match.
	m.SetOperator(query.MatchQueryOperatorAnd)
	return m
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
