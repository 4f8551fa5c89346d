package bleve

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	music "github.com/openmusic/music"
)

// didYouMean replaces each query word that no indexed name, artist or
// album of any kind contains with the closest indexed word (fewest edits
// within the word's fuzziness, then most documents). It returns "" when
// every word is known, since then the results are as good as the words
// allow.
func (x *Index) didYouMean(text string) (string, error) {
	var dicts []termDict
	for _, t := range music.DocTypes {
		d, err := openTermDict(x.cur.kinds[t])
		if err != nil {
			return "", fmt.Errorf("bleve did-you-mean: %w", err)
		}
		if d.reader == nil {
			continue // not a scorch index; no dictionary to consult
		}
		defer d.reader.Close()
		dicts = append(dicts, d)
	}
	an := x.cur.kinds[music.DocTrack].Mapping().AnalyzerNamed(textAnalyzer)
	words := music.QueryWords(text)
	changed := false
	for i, w := range words {
		fz := music.Fuzziness(w)
		toks := an.Analyze([]byte(w))
		if fz == 0 || len(toks) != 1 {
			continue
		}
		term := string(toks[0].Term)
		known, err := anyContains(dicts, term)
		if err != nil || known {
			continue
		}
		var best *index.DictEntry
		for _, d := range dicts {
			if best, err = closest(d.fuzzy, term, fz, best); err != nil {
				return "", err
			}
		}
		if best != nil {
			words[i], changed = best.Term, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

// termDict is one kind's view of the combined text field's terms.
type termDict struct {
	reader   index.IndexReader
	contains index.FieldDictContains
	fuzzy    index.IndexReaderFuzzy
}

func openTermDict(idx bleve.Index) (termDict, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return termDict{}, err
	}
	r, err := adv.Reader()
	if err != nil {
		return termDict{}, err
	}
	rc, ok1 := r.(index.IndexReaderContains)
	rf, ok2 := r.(index.IndexReaderFuzzy)
	if !ok1 || !ok2 {
		r.Close()
		return termDict{}, nil
	}
	c, err := rc.FieldDictContains(fieldAll)
	if err != nil {
		r.Close()
		return termDict{}, err
	}
	return termDict{reader: r, contains: c, fuzzy: rf}, nil
}

func anyContains(dicts []termDict, term string) (bool, error) {
	for _, d := range dicts {
		if ok, err := d.contains.Contains([]byte(term)); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// closest returns the better of best and the closest term to term in r.
func closest(r index.IndexReaderFuzzy, term string, fz int, best *index.DictEntry) (*index.DictEntry, error) {
	dict, err := r.FieldDictFuzzy(fieldAll, term, fz, "")
	if err != nil {
		return nil, fmt.Errorf("bleve did-you-mean %q: %w", term, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("bleve did-you-mean %q: %w", term, err)
		}
		if e == nil {
			return best, nil
		}
		if best == nil || e.EditDistance < best.EditDistance ||
			(e.EditDistance == best.EditDistance && e.Count > best.Count) {
			c := *e
			best = &c
		}
	}
}
