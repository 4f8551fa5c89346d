package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
)

// RankingsInput selects the day to chart.
type RankingsInput struct {
	// Date is YYYY-MM-DD (UTC); empty means the day before the run started
	// (what the daily schedule wants).
	Date string
	// Buckets and Parts partition the count (DefaultBuckets, DefaultParts).
	Buckets, Parts int
	// Limit is the chart length (DefaultChartLength).
	Limit int
}

// DefaultChartLength is how many entries a stored chart keeps.
const DefaultChartLength = 200

// RankingsResult summarises the charts stored.
type RankingsResult struct {
	Date   string
	Charts int // overall plus one per genre
	Tracks int // tracks with counted streams that day
}

// Rankings computes one day's charts, overall and per genre, from the
// day's counted streams (the royalty rules, so charts and payouts agree)
// and stores them in the catalog DB for GET /api/v1/rankings/history.
func Rankings(ctx workflow.Context, in RankingsInput) (RankingsResult, error) {
	if in.Date == "" {
		in.Date = workflow.Now(ctx).UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		return RankingsResult{}, music.Errorf(music.EINVALID, "rankings date %q: want YYYY-MM-DD", in.Date)
	}
	keys, err := countParts(ctx, KindDay, in.Date, in.Buckets, in.Parts)
	if err != nil {
		return RankingsResult{}, err
	}
	var res RankingsResult
	ctx = workflow.WithActivityOptions(ctx, batchActivityOptions)
	err = workflow.ExecuteActivity(ctx, (*Activities).RankDay, RankRequest{Date: in.Date, PartKeys: keys, Limit: positiveOr(in.Limit, DefaultChartLength)}).Get(ctx, &res)
	if err == nil {
		recordBatch(ctx, "rankings")
	}
	return res, err
}
