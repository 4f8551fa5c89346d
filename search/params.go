package search

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	music "github.com/openmusic/music"
)

// Search input bounds.
const (
	MaxQueryBytes   = 256
	MaxQueryWords   = 12
	DefaultLimit    = 10
	MaxLimit        = 50
	MaxOffset       = 1000
	maxGenreBytes   = 64
	DefaultSuggests = 8
)

// ParseParams validates raw API parameters (q, type, genre, limit,
// offset) into a query. Bad input gets an EINVALID error naming the
// parameter; nothing in q is ever interpreted as query syntax.
func ParseParams(v url.Values) (music.SearchQuery, error) {
	return parseQuery(v, DefaultLimit)
}

// ParseSuggestParams validates autocomplete parameters; only the default
// limit differs from ParseParams.
func ParseSuggestParams(v url.Values) (music.SearchQuery, error) {
	return parseQuery(v, DefaultSuggests)
}

func parseQuery(v url.Values, defLimit int) (q music.SearchQuery, err error) {
	if q.Text, err = parseQueryText(v.Get("q")); err != nil {
		return q, err
	}
	if q.Types, err = parseTypes(v.Get("type")); err != nil {
		return q, err
	}
	if q.Genre, err = parseGenre(v.Get("genre")); err != nil {
		return q, err
	}
	if q.Limit, err = parseBounded(v, "limit", defLimit, 1, MaxLimit); err != nil {
		return q, err
	}
	if q.Offset, err = parseBounded(v, "offset", 0, 0, MaxOffset); err != nil {
		return q, err
	}
	return q, nil
}

func parseQueryText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", music.Errorf(music.EINVALID, "q: not valid UTF-8")
	}
	if len(s) > MaxQueryBytes {
		return "", music.Errorf(music.EINVALID, "q: %d bytes, at most %d allowed", len(s), MaxQueryBytes)
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if s == "" {
		return "", music.Errorf(music.EINVALID, "q: must not be empty")
	}
	words := QueryWords(s)
	if len(words) == 0 {
		return "", music.Errorf(music.EINVALID, "q: has no letters or digits to search for")
	}
	if len(words) > MaxQueryWords {
		return "", music.Errorf(music.EINVALID, "q: %d words, at most %d allowed", len(words), MaxQueryWords)
	}
	return s, nil
}

func parseTypes(s string) ([]music.DocType, error) {
	if s == "" {
		return nil, nil
	}
	var out []music.DocType
	seen := map[music.DocType]bool{}
	for _, part := range strings.Split(s, ",") {
		t := music.DocType(strings.ToLower(strings.TrimSpace(part)))
		if !validType(t) {
			return nil, music.Errorf(music.EINVALID, "type: %q is not one of track, artist, album, podcast, episode", truncate(part, 32))
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

func parseGenre(s string) (string, error) {
	if !utf8.ValidString(s) || len(s) > maxGenreBytes {
		return "", music.Errorf(music.EINVALID, "genre: must be at most %d bytes of UTF-8", maxGenreBytes)
	}
	return strings.TrimSpace(s), nil
}

func parseBounded(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, music.Errorf(music.EINVALID, "%s: %q is not an integer in %d..%d", name, truncate(s, 32), lo, hi)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// CheckQuery re-validates a query that did not come from ParseParams, so
// an engine never runs an unbounded or empty query.
func CheckQuery(q music.SearchQuery) error {
	switch {
	case len(q.Text) > MaxQueryBytes:
		return music.Errorf(music.EINVALID, "q: longer than %d bytes", MaxQueryBytes)
	case !utf8.ValidString(q.Text):
		return music.Errorf(music.EINVALID, "q: not valid UTF-8")
	case len(QueryWords(q.Text)) == 0:
		return music.Errorf(music.EINVALID, "q: has no letters or digits to search for")
	case len(QueryWords(q.Text)) > MaxQueryWords:
		return music.Errorf(music.EINVALID, "q: more than %d words", MaxQueryWords)
	case q.Limit < 1 || q.Limit > MaxLimit:
		return music.Errorf(music.EINVALID, "limit: %d not in 1..%d", q.Limit, MaxLimit)
	case q.Offset < 0 || q.Offset > MaxOffset:
		return music.Errorf(music.EINVALID, "offset: %d not in 0..%d", q.Offset, MaxOffset)
	}
	return nil
}
