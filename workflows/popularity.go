package workflows

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// PopularityStore keeps popularity (sqlstore.Store implements it).
type PopularityStore interface {
	SavePopularity(ctx context.Context, pops []reco.TrackPopularity) (changedReleases []string, err error)
}

// PopularityInput selects the window.
type PopularityInput struct {
	// Date is the window's last day, YYYY-MM-DD (UTC); empty means the day
	// before the run started (what the daily schedule wants).
	Date string
	// Days is the window length (default 28); HalfLifeDays the decay
	// (default 7).
	Days, HalfLifeDays int
	// Buckets and Parts partition the count (DefaultBuckets, DefaultParts).
	Buckets, Parts int
}

// PopularityResult summarises a run.
type PopularityResult struct {
	Date      string
	Tracks    int // tracks with counted streams in the window
	Reindexed int // releases whose search documents were refreshed
}

// Popularity turns the trailing window's counted streams (the royalty
// rules, counted in parallel parts like the charts) into tracks.popularity
// and per-territory figures (reco.Popularity), then refreshes the search
// documents of releases whose tracks changed, so search ranking reads the
// new figures.
func Popularity(ctx workflow.Context, in PopularityInput) (PopularityResult, error) {
	if in.Date == "" {
		in.Date = workflow.Now(ctx).UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	}
	last, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return PopularityResult{}, music.Errorf(music.EINVALID, "popularity date %q: want YYYY-MM-DD", in.Date)
	}
	days := positiveOr(in.Days, 28)
	period := dayRange(last.AddDate(0, 0, 1-days), last.AddDate(0, 0, 1))
	keys, err := countParts(ctx, KindRange, period, in.Buckets, in.Parts)
	if err != nil {
		return PopularityResult{}, err
	}
	var res PopularityResult
	ctx = workflow.WithActivityOptions(ctx, batchActivityOptions)
	err = workflow.ExecuteActivity(ctx, (*Activities).UpdatePopularity, PopularityRequest{
		Date: in.Date, PartKeys: keys, HalfLifeDays: positiveOr(in.HalfLifeDays, 7),
	}).Get(ctx, &res)
	return res, err
}

// PopularityRequest names a window's counted parts.
type PopularityRequest struct {
	Date         string
	PartKeys     []string
	HalfLifeDays int
}

// UpdatePopularity merges the parts, computes and stores popularity, and
// re-indexes the releases it changed.
func (a *Activities) UpdatePopularity(ctx context.Context, r PopularityRequest) (PopularityResult, error) {
	asOf, err := time.Parse(time.DateOnly, r.Date)
	if err != nil {
		return PopularityResult{}, activityError(music.Errorf(music.EINVALID, "popularity date %q", r.Date))
	}
	counts, err := a.readParts(ctx, r.PartKeys)
	if err != nil {
		return PopularityResult{}, err
	}
	pops := reco.Popularity(counts.Daily, reco.PopularityOptions{AsOf: asOf, HalfLife: time.Duration(r.HalfLifeDays) * 24 * time.Hour})
	changed, err := a.Popularity.SavePopularity(ctx, pops)
	if err != nil {
		return PopularityResult{}, err
	}
	res := PopularityResult{Date: r.Date, Tracks: len(pops)}
	if a.Search != nil {
		_, stop := keepAlive(ctx, "reindex")
		defer stop()
		for _, id := range changed {
			if err := a.Search.IndexRelease(ctx, id); err != nil {
				return res, fmt.Errorf("search index %s: %w", id, err)
			}
			res.Reindexed++
		}
	}
	return res, nil
}
