// Package searchtest is the conformance and relevance suite every
// music.SearchIndex runs: bleve/ always, elastic/ when MUSIC_ES_URL is set.
package searchtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

//go:embed testdata/catalog.json
var catalogJSON []byte

//go:embed testdata/queries.json
var queriesJSON []byte

// Now is the frozen clock the suite ranks with, so recency is repeatable.
var Now = func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// Catalog returns the relevance catalog: real-looking artists, albums and
// tracks, including accented, featured, ambiguous and Japanese entries.
func Catalog() ([]music.SearchDoc, error) {
	var docs []music.SearchDoc
	if err := json.Unmarshal(catalogJSON, &docs); err != nil {
		return nil, fmt.Errorf("testdata/catalog.json: %w", err)
	}
	return docs, nil
}

// Want names the expected top result of a relevance query by kind, title
// and (for tracks and albums) first artist, so the file stays readable.
type Want struct {
	Type   music.DocType `json:"type"`
	Title  string        `json:"title"`
	Artist string        `json:"artist,omitempty"`
}

// Matches reports whether h is the wanted document.
func (w Want) Matches(h music.SearchHit) bool {
	if h.Type != w.Type || h.Title != w.Title {
		return false
	}
	return w.Artist == "" || (len(h.Artists) > 0 && h.Artists[0] == w.Artist)
}

// RelevanceQuery is one line of testdata/queries.json.
type RelevanceQuery struct {
	Q     string `json:"q"`
	Kind  string `json:"kind"` // plain, typo, accent, prefix, ambiguity, cjk, code, filter, featured
	Type  string `json:"type,omitempty"`
	Genre string `json:"genre,omitempty"`
	Want  Want   `json:"want"`
}

// Queries returns the relevance test set.
func Queries() ([]RelevanceQuery, error) {
	var qs []RelevanceQuery
	if err := json.Unmarshal(queriesJSON, &qs); err != nil {
		return nil, fmt.Errorf("testdata/queries.json: %w", err)
	}
	return qs, nil
}

// Slice adapts docs to a music.DocSource.
func Slice(docs []music.SearchDoc) music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
}
