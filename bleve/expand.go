package bleve

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum/levenshtein"

	music "github.com/openmusic/music"
)

// wordTerms is what one query word is in the serving index's combined
// (_all) dictionaries. A query looks its words up once, before any kind is
// searched: the text query's fuzzy clauses and did-you-mean both use the
// result. Bleve's own fuzzy query would build the word's Levenshtein
// automaton once per kind index, and did-you-mean once more per kind.
type wordTerms struct {
	word string // as the user typed it (music.QueryWords)
	// expanded is false when the word was not looked up: no fuzziness
	// (short or CJK), or it analyzes to several tokens. Such a word keeps
	// Bleve's own fuzzy clause, built per kind.
	expanded bool
	// known: the word is an indexed term of some kind. It is then not
	// corrected, and the kinds where fuzzyWhenKnown is false give it no
	// fuzzy clause.
	known bool
	// inKind: the word is an indexed term of that kind.
	inKind map[music.DocType]bool
	// near holds, per kind, the terms within the word's fuzziness (same
	// first letter; the word itself if indexed), for the kinds that give
	// the word a fuzzy clause.
	near map[music.DocType][]nearTerm
}

// fuzzyWhenKnown reports whether kind's search expands a word that some
// kind holds exactly. The track index does not: it is 20 times the size
// of the artist index, and a fuzzy clause there walks the postings of
// every near term, for a word the exact clauses already match. Artist and
// album searches keep it, since a misspelled name is often a real word
// ("the weekend" for The Weeknd) and those indexes are small.
func fuzzyWhenKnown(kind music.DocType) bool { return kind != music.DocTrack }

// fuzzyIn reports whether w gets a fuzzy clause in kind's search.
func (w wordTerms) fuzzyIn(kind music.DocType) bool {
	return music.Fuzziness(w.word) > 0 && (!w.known || fuzzyWhenKnown(kind))
}

// nearTerm is an indexed term within a word's fuzziness.
type nearTerm struct {
	term  string
	edits uint8
	docs  uint64 // documents holding it, deleted ones included
}

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

// dictSegments is one kind's view of the _all dictionaries, one per segment.
type dictSegments struct {
	kind  music.DocType
	close func() error
	dicts []segment.TermDictionary
}

// expandWords looks every query word up in each kind's dictionaries. It
// returns nil when an index is not a scorch index (no segment
// dictionaries to read); callers then build Bleve's fuzzy clauses as
// before.
func (x *Index) expandWords(text string) ([]wordTerms, error) {
	words := music.QueryWords(text)
	out := make([]wordTerms, len(words))
	an := x.cur.kinds[music.DocTrack].Mapping().AnalyzerNamed(textAnalyzer)
	var kinds []dictSegments
	defer func() {
		for _, k := range kinds {
			k.close()
		}
	}()
	for i, w := range words {
		out[i].word = w
		fz := music.Fuzziness(w)
		toks := an.Analyze([]byte(w))
		if fz == 0 || len(toks) != 1 {
			continue
		}
		if kinds == nil {
			var ok bool
			var err error
			if kinds, ok, err = x.openDicts(); err != nil || !ok {
				return nil, err
			}
		}
		if err := lookUp(&out[i], kinds, toks[0].Term, fz); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openDicts opens every kind's _all segment dictionaries on a snapshot
// of the serving index. ok is false when an index is not scorch.
func (x *Index) openDicts() (kinds []dictSegments, ok bool, err error) {
	closeAll := func() {
		for _, k := range kinds {
			k.close()
		}
	}
	for _, t := range music.DocTypes {
		adv, err := x.cur.kinds[t].Advanced()
		if err != nil {
			closeAll()
			return nil, false, fmt.Errorf("bleve expand: %w", err)
		}
		r, err := adv.Reader()
		if err != nil {
			closeAll()
			return nil, false, fmt.Errorf("bleve expand: %w", err)
		}
		snap, isScorch := r.(*scorch.IndexSnapshot)
		if !isScorch {
			r.Close()
			closeAll()
			return nil, false, nil
		}
		k := dictSegments{kind: t, close: r.Close}
		for _, s := range snap.Segments() {
			d, err := s.Segment().Dictionary(fieldAll)
			if err != nil {
				r.Close()
				closeAll()
				return nil, false, fmt.Errorf("bleve expand: %w", err)
			}
			k.dicts = append(k.dicts, d)
		}
		kinds = append(kinds, k)
	}
	return kinds, true, nil
}

// lookUp fills w for the analyzed term: where it is indexed, and its near
// terms in the kinds that give it a fuzzy clause, found with one automaton
// walked over those kinds' segments.
func lookUp(w *wordTerms, kinds []dictSegments, term []byte, fz int) error {
	w.expanded = true
	w.inKind = map[music.DocType]bool{}
	for _, k := range kinds {
		for _, d := range k.dicts {
			ok, err := d.Contains(term)
			if err != nil {
				return fmt.Errorf("bleve expand %q: %w", term, err)
			}
			if ok {
				w.inKind[k.kind], w.known = true, true
				break
			}
		}
	}
	if w.known && !slices.ContainsFunc(kinds, func(k dictSegments) bool { return w.fuzzyIn(k.kind) }) {
		return nil
	}
	builders, err := levBuilders()
	if err != nil {
		return fmt.Errorf("bleve expand: %w", err)
	}
	dfa, err := builders[fz].BuildDfa(string(term), uint8(fz))
	if err != nil {
		return fmt.Errorf("bleve expand %q: %w", term, err)
	}
	// The first FuzzyPrefix letters must match: only that key range of
	// the dictionary is walked.
	start := prefixOf(term, music.FuzzyPrefix)
	end := append([]byte{}, start...)
	end[len(end)-1]++ // a UTF-8 sequence never ends in 0xff
	w.near = map[music.DocType][]nearTerm{}
	for _, k := range kinds {
		if !w.fuzzyIn(k.kind) {
			continue
		}
		byTerm := map[string]int{}
		for _, d := range k.dicts {
			it := d.AutomatonIterator(dfa, start, end)
			for {
				e, err := it.Next()
				if err != nil {
					return fmt.Errorf("bleve expand %q: %w", term, err)
				}
				if e == nil {
					break
				}
				if j, ok := byTerm[e.Term]; ok {
					w.near[k.kind][j].docs += e.Count
					continue
				}
				byTerm[e.Term] = len(w.near[k.kind])
				w.near[k.kind] = append(w.near[k.kind], nearTerm{term: e.Term, edits: e.EditDistance, docs: e.Count})
			}
		}
	}
	return nil
}

// prefixOf is the first n characters of term (all of it if shorter).
func prefixOf(term []byte, n int) []byte {
	i := 0
	for ; n > 0 && i < len(term); n-- {
		_, size := utf8.DecodeRune(term[i:])
		i += size
	}
	return term[:i]
}

// correction is the indexed term closest to an unknown word: fewest
// edits, then most documents over all kinds, then alphabetical. ok is
// false for a known word, one not looked up, or one with no near term.
func (w wordTerms) correction() (string, bool) {
	if !w.expanded || w.known {
		return "", false
	}
	docs := map[string]uint64{}
	edits := map[string]uint8{}
	for _, terms := range w.near {
		for _, n := range terms {
			docs[n.term] += n.docs
			edits[n.term] = n.edits
		}
	}
	best := ""
	for t := range docs {
		if best == "" || cmp.Or(cmp.Compare(edits[t], edits[best]), cmp.Compare(docs[best], docs[t]), cmp.Compare(t, best)) < 0 {
			best = t
		}
	}
	return best, best != ""
}
