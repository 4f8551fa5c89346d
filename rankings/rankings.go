// Package rankings builds the daily charts (overall and per genre) from the
// royalty batch's counted streams, so charts and payouts agree on what a
// stream is: deduplicated, at least 30 s, authenticated, not fraud.
package rankings

import (
	"cmp"
	"slices"

	"github.com/openmusic/music/royalty"
)

// Overall is the category of the chart across all genres.
const Overall = "overall"

// Entry is one chart position.
type Entry struct {
	Rank    int    `json:"rank"`
	TrackID string `json:"track_id"`
	Streams int64  `json:"streams"`
}

// Chart is one day's ranking in one category.
type Chart struct {
	Date     string  `json:"date"` // YYYY-MM-DD (UTC)
	Category string  `json:"category"`
	Entries  []Entry `json:"entries"`
}

// Daily ranks tracks per day by counted streams summed over territories,
// overall and per genre (genre returns "" for a track with none; those
// appear only in the overall chart). Each chart keeps the top limit
// entries. Equal counts are ordered by track id, so ranks are 1..n without
// gaps and charts are deterministic. Charts are sorted by date, then
// category.
func Daily(counts []royalty.DailyCount, genre func(trackID string) string, limit int) []Chart {
	type key struct{ date, track string }
	sums := map[key]int64{}
	for _, c := range counts {
		sums[key{c.Date, c.TrackID}] += c.Streams
	}
	byChart := map[[2]string][]Entry{}
	for k, n := range sums {
		if n <= 0 {
			continue
		}
		byChart[[2]string{k.date, Overall}] = append(byChart[[2]string{k.date, Overall}], Entry{TrackID: k.track, Streams: n})
		if g := genre(k.track); g != "" && g != Overall {
			byChart[[2]string{k.date, g}] = append(byChart[[2]string{k.date, g}], Entry{TrackID: k.track, Streams: n})
		}
	}
	charts := make([]Chart, 0, len(byChart))
	for k, es := range byChart {
		slices.SortFunc(es, func(a, b Entry) int {
			return cmp.Or(cmp.Compare(b.Streams, a.Streams), cmp.Compare(a.TrackID, b.TrackID))
		})
		if limit > 0 && len(es) > limit {
			es = es[:limit]
		}
		for i := range es {
			es[i].Rank = i + 1
		}
		charts = append(charts, Chart{Date: k[0], Category: k[1], Entries: es})
	}
	slices.SortFunc(charts, func(a, b Chart) int { return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Category, b.Category)) })
	return charts
}

// Find returns the chart of one day and category, as the history endpoint
// (GET /api/v1/rankings/history?category=&date=&limit=) serves it.
func Find(charts []Chart, date, category string, limit int) (Chart, bool) {
	for _, c := range charts {
		if c.Date == date && c.Category == category {
			if limit > 0 && len(c.Entries) > limit {
				c.Entries = c.Entries[:limit]
			}
			return c, true
		}
	}
	return Chart{}, false
}
