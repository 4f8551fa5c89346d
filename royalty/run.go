package royalty

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

// RunConfig wires one month's run over blob stores.
type RunConfig struct {
	Month     time.Time
	Lake      music.BlobStore // playback lake
	Out       music.BlobStore // outputs, earlier months' totals and pools
	Pools     PoolStore
	Contracts map[string][]Share
	Count     CountOptions
}

// RunResult is what Run produced.
type RunResult struct {
	Settlement    Settlement
	Counts        Partial
	Keys          []string // output objects written
	MissingPrior  []string // earlier months with no totals (counted as zero)
	CountDuration time.Duration
}

// Run counts the month from the lake, settles it against the month's
// pools, contracts and earlier months' totals, and writes the outputs.
// The Temporal RoyaltyMonth workflow does the same in fanned-out steps.
func Run(ctx context.Context, c RunConfig) (RunResult, error) {
	var res RunResult
	month := c.Month.UTC().Format("2006-01")
	pools, err := c.Pools.Pools(ctx, month)
	if err != nil {
		return res, err
	}
	prior, missing, err := PriorStreams(ctx, c.Out, c.Month)
	if err != nil {
		return res, err
	}
	res.MissingPrior = missing
	t0 := time.Now()
	if res.Counts, err = CountMonth(ctx, c.Lake, c.Month, c.Count); err != nil {
		return res, fmt.Errorf("royalty %s: %w", month, err)
	}
	res.CountDuration = time.Since(t0)
	if res.Settlement, err = Settle(SettleInput{Month: c.Month, Counts: res.Counts, Pools: pools, Shares: c.Contracts, Prior: prior, Rules: c.Count.Rules}); err != nil {
		return res, err
	}
	res.Keys, err = WriteOutputs(ctx, c.Out, res.Settlement, res.Counts)
	return res, err
}
