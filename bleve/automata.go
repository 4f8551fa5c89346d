package bleve

import (
	"sync"

	"github.com/blevesearch/vellum/levenshtein"
)

// levBuilders builds Levenshtein automata for 1 and 2 edits, counting a
// transposition as one edit as Bleve's fuzzy query and Elasticsearch's
// fuzzy_transpositions do. Making a builder is slow; it happens once.
var levBuilders = sync.OnceValues(func() ([3]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var b [3]*levenshtein.LevenshteinAutomatonBuilder
	for d := 1; d <= 2; d++ {
		var err error
		if b[d], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true); err != nil {
			return b, err
		}
	}
	return b, nil
})

// automatonCacheSize bounds the automata kept between queries. A 2-edit
// automaton of an 8-letter word has a few hundred states of 1 KiB each.
const automatonCacheSize = 64

// automata keeps recently built automata: building one was 7 % of query
// CPU on the 1M-track benchmark, and the same words come back, above all
// while a user types (each keystroke suggests again with the words so
// far). An automaton depends only on the word and its edit distance, not
// on the index, so entries never go stale.
var automata = struct {
	sync.Mutex
	m map[automatonKey]*levenshtein.DFA
}{m: map[automatonKey]*levenshtein.DFA{}}

type automatonKey struct {
	term  string
	edits int
}

// automaton returns the Levenshtein automaton for term within edits (1 or 2).
func automaton(term string, edits int) (*levenshtein.DFA, error) {
	k := automatonKey{term, edits}
	automata.Lock()
	dfa := automata.m[k]
	automata.Unlock()
	if dfa != nil {
		return dfa, nil
	}
	builders, err := levBuilders()
	if err != nil {
		return nil, err
	}
	if dfa, err = builders[edits].BuildDfa(term, uint8(edits)); err != nil {
		return nil, err
	}
	automata.Lock()
	defer automata.Unlock()
	if len(automata.m) >= automatonCacheSize {
		for old := range automata.m { // any one: the cache is small
			delete(automata.m, old)
			break
		}
	}
	automata.m[k] = dfa
	return dfa, nil
}
