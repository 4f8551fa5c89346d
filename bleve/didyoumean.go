package bleve

import (
	"cmp"
	"strings"

	music "github.com/openmusic/music"
)

// didYouMean replaces each looked-up query word that no indexed name,
// artist or album of any kind contains with the closest indexed word
// (fewest edits within the word's fuzziness, then most documents over all
// kinds, then alphabetical). It returns "" when no word changed, since
// then the results are as good as the words allow.
func didYouMean(ws []wordTerms) (string, error) {
	words := make([]string, len(ws))
	changed := false
	for i, w := range ws {
		words[i] = w.word
		if !w.expanded || w.known {
			continue
		}
		near, err := w.near()
		if err != nil {
			return "", err
		}
		if c := closest(near); c != "" {
			words[i], changed = c, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

// closest picks the correction among the near terms of all kinds.
func closest(near map[music.DocType][]nearTerm) string {
	docs := map[string]uint64{}
	edits := map[string]uint8{}
	for _, terms := range near {
		for _, n := range terms {
			docs[n.term] += n.docs
			edits[n.term] = n.edits
		}
	}
	best := ""
	for t := range docs {
		if best == "" || cmp.Or(cmp.Compare(edits[t], edits[best]), cmp.Compare(docs[best], docs[t]), strings.Compare(t, best)) < 0 {
			best = t
		}
	}
	return best
}
