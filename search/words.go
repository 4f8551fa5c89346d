package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QueryWords splits user text into the words a query is built from. Only
// letters, digits, combining marks and in-word apostrophes survive, so
// query-syntax characters such as " * : ~ ^ ( are plain separators.
func QueryWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\'' || r == '’')
	})
}

// Fuzziness is the edit distance a query word may be off by: none for words
// of up to 2 letters and for CJK (where one edit changes the meaning), 1
// for 3–5 letters, 2 for longer words. Elasticsearch calls this "AUTO".
func Fuzziness(word string) int {
	n := 0
	for _, r := range word {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return 0
		}
		if r != '\'' && r != '’' {
			n++
		}
	}
	switch {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	}
	return 2
}

// ExactEnough is how many documents the exact words of a text query must
// match, over all wanted kinds, for the query to make no fuzzy pass.
const ExactEnough = 10

// NeedsFuzzyPass reports whether a text query whose exact pass (every word
// exactly, the last one also as the start of a word) matched exact
// documents makes a second pass with the fuzzy clauses, whose result
// replaces the first. Typo tolerance thus widens a result only when the
// exact words find too little: a fuzzy clause on a common word walks the
// postings of every near term, which at a million tracks cost more than
// the rest of the query. The threshold does not depend on the page, so
// every page of a result comes from the same pass. A query without a word
// that has a fuzziness needs no second pass: it would be the same.
func NeedsFuzzyPass(text string, exact uint64) bool {
	if exact >= ExactEnough {
		return false
	}
	return slices.ContainsFunc(QueryWords(text), func(w string) bool { return Fuzziness(w) > 0 })
}

// Field is a text field queries look in and how much a match there
// counts. Both engines build the same query from this table.
type Field struct {
	Name   string  // field name in both engines' mappings
	Boost  float64 // weight of an exact word match
	Prefix bool    // has an edge-n-gram twin for partial last words
}

// Fields are the text fields, strongest first: the entity's own name,
// then artist names (main and featured), then the album title.
var Fields = []Field{
	{Name: "name", Boost: 3, Prefix: true},
	{Name: "artists", Boost: 2, Prefix: true},
	{Name: "album", Boost: 1},
}

// Weights of the looser ways a word may match.
const (
	// FuzzyBoost weighs a match within Fuzziness(word) edits anywhere in
	// name, artists or album (one clause over the combined field).
	FuzzyBoost = 1.0
	// PrefixWeight is relative to an exact match in the same field: the
	// last word as the start of an indexed word.
	PrefixWeight = 0.6
	// FuzzyPrefix leading letters must match exactly for a fuzzy match:
	// first-letter typos are rare and this keeps fuzzy expansion cheap.
	FuzzyPrefix = 1
	// FuzzyMaxExpansions bounds the indexed terms one fuzzy clause
	// matches: the closest ones (fewest edits, then alphabetical). It is
	// Elasticsearch's max_expansions default, and bounds the postings a
	// short word walks in a large dictionary.
	FuzzyMaxExpansions = 50
)

// CodeQuery recognizes an ISRC (CC-XXX-YY-NNNNN, 12 characters) or a UPC /
// EAN / GTIN-14 (12 to 14 digits) in q, ignoring hyphens and spaces, and returns the
// normalized code and which field it belongs to ("isrc" or "upc").
func CodeQuery(q string) (code, field string, ok bool) {
	c := NormalizeCode(q)
	if c == "" {
		return "", "", false
	}
	allDigits := strings.IndexFunc(c, func(r rune) bool { return r < '0' || r > '9' }) < 0
	switch {
	case len(c) >= 12 && len(c) <= 14 && allDigits:
		return c, "upc", true
	case len(c) == 12 && isLetter(c[0]) && isLetter(c[1]) &&
		strings.IndexFunc(c[5:], func(r rune) bool { return r < '0' || r > '9' }) < 0:
		return c, "isrc", true
	}
	return "", "", false
}

// NormalizeCode uppercases an identifier and drops hyphens and spaces; it
// returns "" when anything but ASCII letters and digits remains.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToUpper(r))
		default:
			return ""
		}
	}
	return b.String()
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }
