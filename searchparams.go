package music

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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

// ParseSearchParams validates raw API parameters (q, type, genre, limit,
// offset) into a query. Bad input gets an EINVALID error naming the
// parameter; nothing in q is ever interpreted as query syntax.
func ParseSearchParams(v url.Values) (SearchQuery, error) {
	return parseParams(v, DefaultLimit)
}

// ParseSuggestParams validates autocomplete parameters; only the default
// limit differs from ParseSearchParams.
func ParseSuggestParams(v url.Values) (SearchQuery, error) {
	return parseParams(v, DefaultSuggests)
}

func parseParams(v url.Values, defLimit int) (q SearchQuery, err error) {
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
		return "", Errorf(EINVALID, "q: not valid UTF-8")
	}
	if len(s) > MaxQueryBytes {
		return "", Errorf(EINVALID, "q: %d bytes, at most %d allowed", len(s), MaxQueryBytes)
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if s == "" {
		return "", Errorf(EINVALID, "q: must not be empty")
	}
	words := QueryWords(s)
	if len(words) == 0 {
		return "", Errorf(EINVALID, "q: has no letters or digits to search for")
	}
	if len(words) > MaxQueryWords {
		return "", Errorf(EINVALID, "q: %d words, at most %d allowed", len(words), MaxQueryWords)
	}
	return s, nil
}

func parseTypes(s string) ([]DocType, error) {
	if s == "" {
		return nil, nil
	}
	var out []DocType
	seen := map[DocType]bool{}
	for _, part := range strings.Split(s, ",") {
		t := DocType(strings.ToLower(strings.TrimSpace(part)))
		if !validDocType(t) {
			return nil, Errorf(EINVALID, "type: %q is not one of track, artist, album", truncate(part, 32))
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
		return "", Errorf(EINVALID, "genre: must be at most %d bytes of UTF-8", maxGenreBytes)
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
		return 0, Errorf(EINVALID, "%s: %q is not an integer in %d..%d", name, truncate(s, 32), lo, hi)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
