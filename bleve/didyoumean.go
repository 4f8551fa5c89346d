package bleve

import "strings"

// didYouMean replaces each looked-up query word that no indexed name,
// artist or album of any kind contains with the closest indexed word
// (fewest edits within the word's fuzziness, then most documents). It
// returns "" when no word changed, since then the results are as good as
// the words allow.
func didYouMean(ws []wordTerms) string {
	words := make([]string, len(ws))
	changed := false
	for i, w := range ws {
		words[i] = w.word
		if c, ok := w.correction(); ok {
			words[i], changed = c, true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}
