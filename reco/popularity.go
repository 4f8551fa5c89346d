package reco

import (
	"math"
	"time"

	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/recodata"
)

// Popularity model: a track's score is its counted streams (royalty
// rules: 30 s, dedup, fraud filtered) over a trailing window, each day's
// count halved every HalfLife days back from the window's last day. The
// published figure is 0–100 on a log scale relative to the top track:
// round(100·ln(1+s)/ln(1+s_max)), at least 1 for any track with a
// stream, so a long tail stays distinguishable from silence. The same is
// done within each territory. It is both the `tracks.popularity` that
// search ranking reads and the recommender's cold-start fallback.

// PopularityOptions tunes Popularity.
type PopularityOptions struct {
	AsOf     time.Time     // the window's last day (UTC)
	HalfLife time.Duration // default 7 days
}

// TrackPopularity is a track's figure catalog-wide and per territory
// (defined in recodata, which the catalog store reads without the batch).
type TrackPopularity = recodata.TrackPopularity

// Popularity turns counted daily streams into popularity figures, one per
// track with streams, in track ID order (the counts' order).
func Popularity(daily []plays.DailyCount, opts PopularityOptions) []TrackPopularity {
	if opts.HalfLife <= 0 {
		opts.HalfLife = 7 * 24 * time.Hour
	}
	asOf := opts.AsOf.UTC().Truncate(24 * time.Hour)
	halfDays := opts.HalfLife.Hours() / 24
	var out []TrackPopularity
	terrScore := map[string]map[string]float64{} // territory → track → score
	index := map[string]int{}
	for _, d := range daily {
		day, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || d.Streams <= 0 {
			continue
		}
		age := math.Max(0, asOf.Sub(day).Hours()/24)
		w := float64(d.Streams) * math.Exp2(-age/halfDays)
		i, ok := index[d.TrackID]
		if !ok {
			i = len(out)
			index[d.TrackID] = i
			out = append(out, TrackPopularity{TrackID: d.TrackID, Territories: map[string]int{}})
		}
		out[i].Score += w
		if terrScore[d.Territory] == nil {
			terrScore[d.Territory] = map[string]float64{}
		}
		terrScore[d.Territory][d.TrackID] += w
	}
	var top float64
	for _, t := range out {
		top = math.Max(top, t.Score)
	}
	for i := range out {
		out[i].Popularity = scale(out[i].Score, top)
	}
	for terr, scores := range terrScore {
		var tt float64
		for _, s := range scores {
			tt = math.Max(tt, s)
		}
		for id, s := range scores {
			out[index[id]].Territories[terr] = scale(s, tt)
		}
	}
	return out
}

func scale(s, top float64) int {
	if s <= 0 || top <= 0 {
		return 0
	}
	return max(1, int(math.Round(100*math.Log1p(s)/math.Log1p(top))))
}
