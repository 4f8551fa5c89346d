package music

import (
	"context"
	"time"
)

// RecoList is one precomputed recommendation list of a user (Discover
// Weekly, Daily Mix, Release Radar), as the batch stores it and the API
// serves it.
type RecoList struct {
	UserID      string    `json:"user_id"`
	List        string    `json:"list"`
	GeneratedAt time.Time `json:"generated_at"`
	TrackIDs    []string  `json:"track_ids"` // at most RecoCacheSize
	// Mixes are the Daily Mix's taste clusters; TrackIDs is their union.
	Mixes []RecoMix `json:"mixes,omitempty"`
}

// RecoMix is one Daily Mix.
type RecoMix struct {
	Name     string   `json:"name"`
	TrackIDs []string `json:"track_ids"`
}

// Cache bounds: top-100 per user per list, kept for a week.
const (
	RecoCacheSize = 100
	RecoCacheTTL  = 7 * 24 * time.Hour
)

// RecoCache holds the batch's lists under reco:{user_id}:{list}. Each list
// is written whole: a reader gets the previous list or the new one, never
// a mix. A list past its TTL, or never written, is ENOTFOUND; a cache that
// cannot be reached is EUNAVAILABLE (the API then falls back to
// popularity). Implementations: redis (at scale) and sqlstore (the
// embedded default, in the catalog DB).
type RecoCache interface {
	PutLists(ctx context.Context, lists []RecoList, ttl time.Duration) error
	List(ctx context.Context, userID, list string) (*RecoList, error)
}
