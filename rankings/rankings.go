// Package rankings builds the daily charts (overall and per genre) from the
// royalty batch's counted streams, so charts and payouts agree on what a
// stream is: deduplicated, at least 30 s, authenticated, not fraud.
package rankings

import (
	"cmp"
	"slices"

	"github.com/openmusic/music/plays"
)

// Overall is the category of the chart across all genres.
const Overall = "overall"

// Daily ranks tracks per day by counted streams summed over territories,
// overall and per genre (genre returns "" for a track with none; those
// appear only in the overall chart). Each chart keeps the top limit
// entries. Equal counts are ordered by track id, so ranks are 1..n without
// gaps and charts are deterministic. Charts are sorted by date, then
// category.
func Daily(counts []plays.DailyCount, genre func(trackID string) string, limit int) []plays.Chart {
	type key struct{ date, track string }
	sums := map[key]int64{}
	for _, c := range counts {
		sums[key{c.Date, c.TrackID}] += c.Streams
	}
	byChart := map[[2]string][]plays.ChartEntry{}
	for k, n := range sums {
		if n <= 0 {
			continue
		}
		byChart[[2]string{k.date, Overall}] = append(byChart[[2]string{k.date, Overall}], plays.ChartEntry{TrackID: k.track, Streams: n})
		if g := genre(k.track); g != "" && g != Overall {
			byChart[[2]string{k.date, g}] = append(byChart[[2]string{k.date, g}], plays.ChartEntry{TrackID: k.track, Streams: n})
		}
	}
	charts := make([]plays.Chart, 0, len(byChart))
	for k, es := range byChart {
		slices.SortFunc(es, func(a, b plays.ChartEntry) int {
			return cmp.Or(cmp.Compare(b.Streams, a.Streams), cmp.Compare(a.TrackID, b.TrackID))
		})
		if limit > 0 && len(es) > limit {
			es = es[:limit]
		}
		for i := range es {
			es[i].Rank = i + 1
		}
		charts = append(charts, plays.Chart{Date: k[0], Category: k[1], Entries: es})
	}
	slices.SortFunc(charts, func(a, b plays.Chart) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Category, b.Category))
	})
	return charts
}
