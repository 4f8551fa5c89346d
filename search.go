package music

import (
	"context"
	"time"
)

// DocType names the kind of catalog entity a search document describes.
type DocType string

// The searchable kinds of entity.
const (
	DocTrack  DocType = "track"
	DocArtist DocType = "artist"
	DocAlbum  DocType = "album"
	// A podcast show and one of its episodes: Title is the show's or
	// the episode's, Artists the show's author, Album (episodes) the
	// show's title, ReleaseDate the episode's publication.
	DocPodcast DocType = "podcast"
	DocEpisode DocType = "episode"
)

// DocTypes lists every searchable kind in the order results are grouped.
var DocTypes = []DocType{DocTrack, DocArtist, DocAlbum, DocPodcast, DocEpisode}

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

// SearchQuery is a validated search request. Build it with
// search.ParseParams from user input; the engines trust its bounds.
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
	// Podcasts are shows; Episodes their published episodes.
	Podcasts *SearchGroup `json:"podcasts,omitempty"`
	Episodes *SearchGroup `json:"episodes,omitempty"`
	// Top is the best hit across all kinds (the first item of some group).
	Top *SearchHit `json:"top,omitempty"`
	// DidYouMean is a corrected query when some words are unknown to the
	// index; empty when the query looks fine.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// ExactCode is true when the query was an ISRC or UPC and was looked up
	// as an identifier rather than as text.
	ExactCode bool `json:"exact_code,omitempty"`
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
	case DocPodcast:
		return r.Podcasts
	case DocEpisode:
		return r.Episodes
	}
	return nil
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
// analysis, same fuzziness rule and the same ranking formula
// (search.RankFactor).
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
