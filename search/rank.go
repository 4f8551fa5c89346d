package search

import (
	"math"
	"time"
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
