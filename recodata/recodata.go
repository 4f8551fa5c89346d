// Package recodata holds the records the recommendation batch exchanges
// with the catalog store: the tracks it trains on and the popularity it
// writes back. They live apart from package reco so that the store, which
// reads and writes them, does not link the batch and its Parquet lake.
package recodata

// Item is what the models and lists know of a catalog track.
type Item struct {
	ID       string
	Artists  []string // credited artist IDs, main artist first
	Genre    string
	Released int64 // day of release (days since 1970-01-01 UTC); 0 unknown
	// Plays and Completions count the signal window's plays of 30 s or
	// more and those played to the end: the bandit's evidence.
	Plays, Completions int64
	Popularity         int
}

// TrackPopularity is a track's figure catalog-wide and per territory.
type TrackPopularity struct {
	TrackID     string
	Score       float64        // decayed streams
	Popularity  int            // 0–100
	Territories map[string]int // territory → 0–100 among its listeners
}
