package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/openmusic/music/royalty"

	"github.com/openmusic/music/plays"
)

// RoyaltyMonthInput selects the month to settle.
type RoyaltyMonthInput struct {
	// Month is YYYY-MM; empty means the month before the run started
	// (what the monthly schedule wants; see ScheduledRoyaltyMonth).
	Month string
	// Buckets and Parts partition the count (DefaultBuckets, DefaultParts).
	Buckets, Parts int
	// ContractsKey is the blob key of the contracts CSV
	// (track_id,holder_id,role,ppm); empty means DefaultContractsKey. A
	// missing object fails the run.
	ContractsKey string
	// Force settles a month that is already settled; its ledger is kept
	// as a version (without it such a run fails).
	Force bool
}

// RoyaltyMonthResult summarises a settled month.
type RoyaltyMonthResult struct {
	Month        string
	Stats        royalty.Stats
	LedgerLines  int
	Keys         []string // output objects (report, ledger, statements)
	MissingPrior []string // earlier months without totals
}

// RoyaltyMonth counts a month of plays from the lake in parallel parts
// (dedup, 30 s rule, fraud rules), then settles it: pools from the catalog
// DB, eligibility from the trailing 12 months, contract splits, outputs in
// the blob store, daily counts and the ledger in the catalog DB. Re-running
// a month rewrites the same outputs byte for byte.
func RoyaltyMonth(ctx workflow.Context, in RoyaltyMonthInput) (RoyaltyMonthResult, error) {
	if in.Month == "" {
		in.Month = monthBefore(workflow.Now(ctx))
	}
	if _, err := plays.ParseMonth(in.Month); err != nil {
		return RoyaltyMonthResult{}, err
	}
	keys, err := countParts(ctx, KindMonth, in.Month, in.Buckets, in.Parts)
	if err != nil {
		return RoyaltyMonthResult{}, err
	}
	var res RoyaltyMonthResult
	ctx = workflow.WithActivityOptions(ctx, batchActivityOptions)
	err = workflow.ExecuteActivity(ctx, (*Activities).SettleRoyaltyMonth, SettleRequest{Month: in.Month, PartKeys: keys, ContractsKey: in.ContractsKey, Force: in.Force, Run: runKey(ctx)}).Get(ctx, &res)
	if err == nil {
		recordBatch(ctx, "royalty")
	}
	return res, err
}

// runKey names this workflow run: its run ID and start time (test
// environments reuse one run ID).
func runKey(ctx workflow.Context) string {
	info := workflow.GetInfo(ctx)
	return fmt.Sprintf("%s/%s@%d", info.WorkflowExecution.ID, info.WorkflowExecution.RunID, info.WorkflowStartTime.UnixNano())
}
