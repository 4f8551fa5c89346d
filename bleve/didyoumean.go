package bleve

import (
	"fmt"
	"strings"

	index "github.com/blevesearch/bleve_index_api"

	music "github.com/openmusic/music"
)

// didYouMean replaces each query word that no indexed name, artist or
// album contains with the closest indexed word (fewest edits within the
// word's fuzziness, then most documents). It returns "" when every word is
// known, since then the results are as good as the words allow.
func (x *Index) didYouMean(text string) (string, error) {
	adv, err := x.cur.Advanced()
	if err != nil {
		return "", fmt.Errorf("bleve did-you-mean: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", fmt.Errorf("bleve did-you-mean: %w", err)
	}
	defer r.Close()
	rc, ok1 := r.(index.IndexReaderContains)
	rf, ok2 := r.(index.IndexReaderFuzzy)
	if !ok1 || !ok2 {
		return "", nil // not a scorch index; no dictionary to consult
	}
	known, err := rc.FieldDictContains(fieldAll)
	if err != nil {
		return "", fmt.Errorf("bleve did-you-mean: %w", err)
	}
	an := x.cur.Mapping().AnalyzerNamed(textAnalyzer)
	words := music.QueryWords(text)
	changed := false
	for i, w := range words {
		fz := music.Fuzziness(w)
		toks := an.Analyze([]byte(w))
		if fz == 0 || len(toks) != 1 {
			continue
		}
		term := string(toks[0].Term)
		if ok, err := known.Contains([]byte(term)); err != nil || ok {
			continue
		}
		best, err := closest(rf, term, fz)
		if err != nil {
			return "", err
		}
		if best != "" {
			words[i], changed = best, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

func closest(r index.IndexReaderFuzzy, term string, fz int) (string, error) {
	dict, err := r.FieldDictFuzzy(fieldAll, term, fz, "")
	if err != nil {
		return "", fmt.Errorf("bleve did-you-mean %q: %w", term, err)
	}
	defer dict.Close()
	var best *index.DictEntry
	for {
		e, err := dict.Next()
		if err != nil {
			return "", fmt.Errorf("bleve did-you-mean %q: %w", term, err)
		}
		if e == nil {
			break
		}
		if best == nil || e.EditDistance < best.EditDistance ||
			(e.EditDistance == best.EditDistance && e.Count > best.Count) {
			c := *e
			best = &c
		}
	}
	if best == nil {
		return "", nil
	}
	return best.Term, nil
}
