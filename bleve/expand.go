package bleve

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// wordTerms is what one query word is in the serving index's combined
// (_all) dictionaries. A query looks its words up once, before any kind is
// searched, and the text queries of every kind and did-you-mean share the
// result: Bleve's own fuzzy query would build the word's Levenshtein
// automaton once per kind index, and did-you-mean once more per kind.
type wordTerms struct {
	word string // as the user typed it (search.QueryWords)
	// expanded is false when the word was not looked up: no fuzziness
	// (short or CJK), it analyzes to several tokens, or the index is not
	// a scorch index. Such a word keeps Bleve's own fuzzy query.
	expanded bool
	// known: the word is an indexed term of some kind.
	known bool
	// inKind: the word is an indexed term of that kind.
	inKind map[music.DocType]bool
	// near returns, per kind, the indexed terms within the word's
	// fuzziness with the same first letter (the word itself if indexed).
	// The dictionaries are walked on the first call, which only the
	// fuzzy pass and did-you-mean make.
	near func() (map[music.DocType][]nearTerm, error)
}

// nearTerm is an indexed term within a word's fuzziness.
type nearTerm struct {
	term  string
	edits uint8
	docs  uint64 // documents holding it, deleted ones included
}

// kindDicts is one kind's _all dictionaries, one per segment of a snapshot.
type kindDicts struct {
	kind  music.DocType
	dicts []segment.TermDictionary
}

// expandWords looks every query word up in each kind's dictionaries. The
// caller calls release once the words are no longer used: near terms are
// read from index snapshots held until then.
func (x *Index) expandWords(text string) (ws []wordTerms, release func(), err error) {
	words := search.QueryWords(text)
	ws = make([]wordTerms, len(words))
	for i, w := range words {
		ws[i].word = w
	}
	an := x.cur.kinds[music.DocTrack].Mapping().AnalyzerNamed(textAnalyzer)
	var kinds []kindDicts
	opened := false
	release = func() {}
	for i, w := range words {
		fz := search.Fuzziness(w)
		toks := an.Analyze([]byte(w))
		if fz == 0 || len(toks) != 1 {
			continue
		}
		if !opened {
			if kinds, release, err = x.openDicts(); err != nil {
				return nil, nil, err
			}
			opened = true
		}
		if kinds == nil {
			break // not scorch: Bleve's fuzzy queries for every word
		}
		if err := lookUp(&ws[i], kinds, toks[0].Term, fz); err != nil {
			release()
			return nil, nil, err
		}
	}
	return ws, release, nil
}

// openDicts opens every kind's _all segment dictionaries on a snapshot
// of the serving index, held until release. It returns no kinds when an
// index is not a scorch index.
func (x *Index) openDicts() (kinds []kindDicts, release func(), err error) {
	var readers []interface{ Close() error }
	release = func() {
		for _, r := range readers {
			r.Close()
		}
	}
	fail := func(err error) ([]kindDicts, func(), error) {
		release()
		return nil, nil, fmt.Errorf("bleve expand: %w", err)
	}
	for _, t := range music.DocTypes {
		adv, err := x.cur.kinds[t].Advanced()
		if err != nil {
			return fail(err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fail(err)
		}
		readers = append(readers, r)
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			release()
			return nil, func() {}, nil
		}
		k := kindDicts{kind: t}
		for _, s := range snap.Segments() {
			d, err := s.Segment().Dictionary(fieldAll)
			if err != nil {
				return fail(err)
			}
			k.dicts = append(k.dicts, d)
		}
		kinds = append(kinds, k)
	}
	return kinds, release, nil
}

// lookUp fills w for the analyzed term: the kinds that index it, and a
// near function that walks every kind's segments with one automaton.
func lookUp(w *wordTerms, kinds []kindDicts, term []byte, fz int) error {
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
	w.near = sync.OnceValues(func() (map[music.DocType][]nearTerm, error) {
		return nearTerms(kinds, term, fz)
	})
	return nil
}

// nearTerms walks every kind's dictionaries with term's Levenshtein
// automaton, limited to the key range of its first search.FuzzyPrefix
// letters (which must match, as in Bleve's fuzzy query).
func nearTerms(kinds []kindDicts, term []byte, fz int) (map[music.DocType][]nearTerm, error) {
	dfa, err := automaton(string(term), fz)
	if err != nil {
		return nil, fmt.Errorf("bleve expand %q: %w", term, err)
	}
	var start, end []byte // the whole dictionary without a prefix
	if start = prefixOf(term, search.FuzzyPrefix); len(start) > 0 {
		end = append([]byte{}, start...)
		end[len(end)-1]++ // a UTF-8 sequence never ends in 0xff
	}
	near := map[music.DocType][]nearTerm{}
	for _, k := range kinds {
		at := map[string]int{} // term → index in near[k.kind]
		for _, d := range k.dicts {
			it := d.AutomatonIterator(dfa, start, end)
			for {
				e, err := it.Next()
				if err != nil {
					return nil, fmt.Errorf("bleve expand %q: %w", term, err)
				}
				if e == nil {
					break
				}
				if j, ok := at[e.Term]; ok {
					near[k.kind][j].docs += e.Count
					continue
				}
				at[e.Term] = len(near[k.kind])
				near[k.kind] = append(near[k.kind], nearTerm{term: e.Term, edits: e.EditDistance, docs: e.Count})
			}
		}
	}
	return near, nil
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
