package music

import (
	"context"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// DocType names the kind of catalog entity a search document describes.
type DocType string

// The searchable kinds of entity.
const (
	DocTrack  DocType = "track"
	DocArtist DocType = "artist"
	DocAlbum  DocType = "album"
)

// Valid reports whether t is one of DocTypes.
func (t DocType) Valid() bool { return validDocType(t) }

// CheckDelete validates the arguments of SearchIndex.Delete.
func CheckDelete(t DocType, id string) error {
	if !t.Valid() {
		return Errorf(EINVALID, "search delete %q: type %q is not track, artist or album", id, t)
	}
	return nil
}

// DocTypes lists every searchable kind in the order results are grouped.
var DocTypes = []DocType{DocTrack, DocArtist, DocAlbum}

// SearchDoc is one entity as the search index sees it. Tracks, artists and
// albums share the shape; fields that do not apply to a kind stay empty.
type SearchDoc struct {
	Type DocType `json:"type"`
	ID   string  `json:"id"`
	// Title is the track title, the artist's name or the album title.
	Title string `json:"title"`
	// Artists are the main artists; Featured the guests ("feat.").
	Artists  []string `json:"artists,omitempty"`
	Featured []string `json:"featured,omitempty"`
	// Album is the album a track appears on.
	Album string `json:"album,omitempty"`
	Genre string `json:"genre,omitempty"`
	// ISRC identifies a track recording; UPC an album (release).
	ISRC string `json:"isrc,omitempty"`
	UPC  string `json:"upc,omitempty"`
	// Popularity is 0..100, higher is more listened to.
	Popularity  int       `json:"popularity"`
	ReleaseDate time.Time `json:"release_date,omitzero"`
	Explicit    bool      `json:"explicit,omitempty"`
}

// Key is the document's identity in an index: type and ID together, since
// a track and an album may share an ID.
func (d SearchDoc) Key() string { return string(d.Type) + ":" + d.ID }

// Validate reports the first field that makes d unindexable.
func (d SearchDoc) Validate() error {
	switch {
	case !validDocType(d.Type):
		return Errorf(EINVALID, "search doc %q: type %q is not track, artist or album", d.ID, d.Type)
	case d.ID == "" || len(d.ID) > 128 || !utf8.ValidString(d.ID):
		return Errorf(EINVALID, "search doc: id %q must be 1..128 bytes of UTF-8", d.ID)
	case d.Title == "" || !utf8.ValidString(d.Title):
		return Errorf(EINVALID, "search doc %s: title must be non-empty UTF-8", d.Key())
	case d.Popularity < 0 || d.Popularity > 100:
		return Errorf(EINVALID, "search doc %s: popularity %d outside 0..100", d.Key(), d.Popularity)
	}
	return nil
}

// SearchQuery is a validated search request. Build it with
// ParseSearchParams from user input; the engines trust its bounds.
type SearchQuery struct {
	Text string
	// Types restricts results to these kinds; empty means all.
	Types []DocType
	// Genre, when set, keeps only documents of that genre (case and
	// accents ignored).
	Genre  string
	Limit  int // per type
	Offset int // per type
}

// WantsType reports whether results of kind t were asked for.
func (q SearchQuery) WantsType(t DocType) bool {
	if len(q.Types) == 0 {
		return true
	}
	for _, x := range q.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Check re-validates a query that did not come from ParseSearchParams,
// so an engine never runs an unbounded or empty query.
func (q SearchQuery) Check() error {
	switch {
	case len(q.Text) > MaxQueryBytes:
		return Errorf(EINVALID, "q: longer than %d bytes", MaxQueryBytes)
	case !utf8.ValidString(q.Text):
		return Errorf(EINVALID, "q: not valid UTF-8")
	case len(QueryWords(q.Text)) == 0:
		return Errorf(EINVALID, "q: has no letters or digits to search for")
	case len(QueryWords(q.Text)) > MaxQueryWords:
		return Errorf(EINVALID, "q: more than %d words", MaxQueryWords)
	case q.Limit < 1 || q.Limit > MaxLimit:
		return Errorf(EINVALID, "limit: %d not in 1..%d", q.Limit, MaxLimit)
	case q.Offset < 0 || q.Offset > MaxOffset:
		return Errorf(EINVALID, "offset: %d not in 0..%d", q.Offset, MaxOffset)
	}
	return nil
}

// SearchHit is one result: the indexed document and its final score.
type SearchHit struct {
	SearchDoc
	Score float64 `json:"score"`
}

// SearchGroup is the page of results of one kind.
type SearchGroup struct {
	Total uint64      `json:"total"`
	Items []SearchHit `json:"items"`
}

// SearchResults are the results of one query, grouped by kind as the API
// returns them.
type SearchResults struct {
	Tracks  *SearchGroup `json:"tracks,omitempty"`
	Artists *SearchGroup `json:"artists,omitempty"`
	Albums  *SearchGroup `json:"albums,omitempty"`
	// Top is the best hit across all kinds (the first item of some group).
	Top *SearchHit `json:"top,omitempty"`
	// DidYouMean is a corrected query when some words are unknown to the
	// index; empty when the query looks fine.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// ExactCode is true when the query was an ISRC or UPC and was looked up
	// as an identifier rather than as text.
	ExactCode bool `json:"exact_code,omitempty"`
}

// Matched is the number of matches over all groups.
func (r *SearchResults) Matched() uint64 {
	var n uint64
	for _, t := range DocTypes {
		if g := r.Group(t); g != nil {
			n += g.Total
		}
	}
	return n
}

// Group returns the group for kind t, nil when t was not asked for.
func (r *SearchResults) Group(t DocType) *SearchGroup {
	switch t {
	case DocTrack:
		return r.Tracks
	case DocArtist:
		return r.Artists
	case DocAlbum:
		return r.Albums
	}
	return nil
}

// SetGroup stores g as the group for kind t.
func (r *SearchResults) SetGroup(t DocType, g *SearchGroup) {
	switch t {
	case DocTrack:
		r.Tracks = g
	case DocArtist:
		r.Artists = g
	case DocAlbum:
		r.Albums = g
	}
}

// DocSource streams every document of the catalog to yield; Reindex uses
// it to fill a fresh index. It stops and returns yield's error, if any.
type DocSource func(yield func(SearchDoc) error) error

// ReindexStats says what a reindex did.
type ReindexStats struct {
	Docs     int           // documents read from the source and indexed
	Skipped  int           // source documents superseded by live writes
	Duration time.Duration // build and swap
	Index    string        // name of the index now serving
}

// SearchIndex is the catalog search contract, implemented by bleve/ (the
// embedded default) and elastic/ (at scale). Both give the same results for
// the same query up to the engines' BM25 details: same fields, same
// analysis, same fuzziness rule and the same ranking formula (RankFactor).
type SearchIndex interface {
	// Index adds or replaces documents (by Key).
	Index(ctx context.Context, docs ...SearchDoc) error
	// Delete removes the document of kind t with the given ID; deleting a
	// missing document is not an error.
	Delete(ctx context.Context, t DocType, id string) error
	// Search runs a text query (or an exact ISRC/UPC lookup) and returns
	// the hits grouped by kind.
	Search(ctx context.Context, q SearchQuery) (*SearchResults, error)
	// Suggest completes a partial query for autocomplete: the best hits of
	// any kind whose words start with the query's words.
	Suggest(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	// Reindex builds a new index from src while the old one keeps serving,
	// then swaps atomically. Writes that arrive meanwhile reach both.
	Reindex(ctx context.Context, src DocSource) (ReindexStats, error)
	// Close releases the index.
	Close() error
}

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

func validDocType(t DocType) bool {
	return t == DocTrack || t == DocArtist || t == DocAlbum
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

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

// SearchField is a text field queries look in and how much a match there
// counts. Both engines build the same query from this table.
type SearchField struct {
	Name   string  // field name in both engines' mappings
	Boost  float64 // weight of an exact word match
	Prefix bool    // has an edge-n-gram twin for partial last words
}

// SearchFields are the text fields, strongest first: the entity's own name,
// then artist names (main and featured), then the album title.
var SearchFields = []SearchField{
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

// Ranking constants; see RankFactor.
const (
	PopularityScale  = 20  // popularity p weighs 1 + p/PopularityScale
	RecencyBoost     = 0.3 // a release today scores 1.3× an old one
	RecencyScaleDays = 180 // e-folding time of the recency bonus
)

// RankFactor is what text relevance is multiplied by. Both engines use it:
// Bleve in Go, Elasticsearch as the function_score script in
// elastic/ranking.painless, so the formula must change in both places.
//
//	score = bm25 × (1 + popularity/20) × (1 + 0.3·e^(−age_days/180))
//
// Popularity (0..100) thus weighs ×1..×6: enough for a hit to beat an
// obscure exact namesake, not enough for a fuzzy match of a popular name to
// beat a precise match of a middling one. age_days is clamped at 0 for
// future releases; an unknown release date counts as old (no bonus).
func RankFactor(popularity int, released, now time.Time) float64 {
	pop := 1 + float64(max(popularity, 0))/PopularityScale
	rec := 1.0
	if !released.IsZero() {
		age := max(now.Sub(released).Hours()/24, 0)
		rec += RecencyBoost * math.Exp(-age/RecencyScaleDays)
	}
	return pop * rec
}

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

// GroupSearch runs one search per kind q wants, concurrently, and gathers
// the groups; engines pass a function that searches one kind.
func GroupSearch(ctx context.Context, q SearchQuery, one func(context.Context, DocType) (*SearchGroup, error)) (*SearchResults, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := &SearchResults{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for _, t := range DocTypes {
		if !q.WantsType(t) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, err := one(ctx, t)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
			res.SetGroup(t, g)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	res.PickTop()
	return res, nil
}

// SearchSteps are an engine's parts of a search; Run puts them in the
// order both engines share.
type SearchSteps struct {
	// Code searches an ISRC or UPC exactly.
	Code func(ctx context.Context, code string) (*SearchResults, error)
	// Text runs the word query, with the fuzzy clauses when fuzzy is set.
	Text func(ctx context.Context, fuzzy bool) (*SearchResults, error)
	// DidYouMean corrects unknown words, "" when all are known.
	DidYouMean func(ctx context.Context) (string, error)
}

// Run looks q up as a code first when it looks like one, and when no
// document has that code (or it is no code) runs the text query: the
// exact pass, then the fuzzy pass if NeedsFuzzyPass.
func (s SearchSteps) Run(ctx context.Context, q SearchQuery) (*SearchResults, error) {
	if code, field, ok := CodeQuery(q.Text); ok {
		res, err := s.Code(ctx, code)
		if err != nil {
			return nil, err
		}
		if res.Top != nil {
			res.ExactCode = true
			res.ownerFirst(field)
			return res, nil
		}
	}
	res, err := s.Text(ctx, false)
	if err == nil && NeedsFuzzyPass(q.Text, res.Matched()) {
		res, err = s.Text(ctx, true)
	}
	if err != nil {
		return nil, err
	}
	if res.DidYouMean, err = s.DidYouMean(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// ownerFirst ranks the kind that owns a code above the others: a UPC
// names an album and an ISRC a track. Tracks carry their album's UPC too,
// and a popular track would otherwise outscore its album. Other kinds'
// scores are scaled to half the owner's best, keeping their own order.
func (r *SearchResults) ownerFirst(codeField string) {
	owner := DocTrack
	if codeField == "upc" {
		owner = DocAlbum
	}
	og := r.Group(owner)
	if og == nil || len(og.Items) == 0 {
		return
	}
	for _, t := range DocTypes {
		g := r.Group(t)
		if t == owner || g == nil || len(g.Items) == 0 || g.Items[0].Score < og.Items[0].Score/2 {
			continue
		}
		scale := og.Items[0].Score / 2 / g.Items[0].Score
		for i := range g.Items {
			g.Items[i].Score *= scale
		}
	}
	r.PickTop()
}

// PickTop sets r.Top to the highest-scoring first item among the groups.
func (r *SearchResults) PickTop() {
	r.Top = nil
	for _, t := range DocTypes {
		g := r.Group(t)
		if g == nil || len(g.Items) == 0 {
			continue
		}
		if h := g.Items[0]; r.Top == nil || h.Score > r.Top.Score {
			r.Top = &h
		}
	}
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }
