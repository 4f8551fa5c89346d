package bleve

import (
	"github.com/blevesearch/bleve/v2/search/query"

	music "github.com/openmusic/music"
)

// textQuery builds the query for user text from its words, never parsing
// it: every word must match in some field, exactly, within its fuzziness,
// or (the last word, when prefix is set) as the start of a word.
func textQuery(text string, prefix bool) query.Query {
	words := music.QueryWords(text)
	all := make([]query.Query, 0, len(words))
	for i, w := range words {
		all = append(all, wordQuery(w, prefix && i == len(words)-1))
	}
	return query.NewConjunctionQuery(all)
}

func wordQuery(w string, prefix bool) query.Query {
	fz := music.Fuzziness(w)
	var any []query.Query
	if fz > 0 {
		// One fuzzy clause over all text fields: a Levenshtein automaton
		// per field would cost three times as much for little gain.
		any = append(any, match(w, fieldAll, music.FuzzyBoost, fz))
	}
	for _, f := range music.SearchFields {
		any = append(any, match(w, f.Name, f.Boost, 0))
		if prefix && f.Prefix {
			// The edge-n-gram field is searched with the plain analyzer,
			// so "bohem" is one term that the n-grams of "bohemian" hold.
			any = append(any, match(w, f.Name+"_prefix", f.Boost*music.PrefixWeight, 0))
		}
	}
	return query.NewDisjunctionQuery(any)
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
