package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	music "github.com/openmusic/music"
)

// Partitioning defaults of the batch workflows. Each part is one activity
// over a range of user-hash buckets; every counting rule is per user, so
// parts are independent and their results add up (royalty.Merge).
const (
	DefaultBuckets = 256
	DefaultParts   = 16
)

// batchActivityOptions are long-running counting steps: they heartbeat, so
// a dead worker is noticed in a minute and the part is retried elsewhere.
var batchActivityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 6 * time.Hour,
	HeartbeatTimeout:    time.Minute,
	RetryPolicy: &temporal.RetryPolicy{
		MaximumAttempts: 5,
		// Bad input (a corrupt lake file, a bad month) fails at once.
		NonRetryableErrorTypes: []string{music.EINVALID},
	},
}

// countParts runs one CountStreams activity per part of [0, buckets) in
// parallel and returns the blob keys of their partial results, in part
// order.
func countParts(ctx workflow.Context, kind, period string, buckets, parts int) ([]string, error) {
	buckets = positiveOr(buckets, DefaultBuckets)
	parts = min(positiveOr(parts, DefaultParts), buckets)
	ctx = workflow.WithActivityOptions(ctx, batchActivityOptions)
	futures := make([]workflow.Future, parts)
	for i := range parts {
		p := CountPart{Kind: kind, Period: period, Buckets: buckets, Lo: i * buckets / parts, Hi: (i + 1) * buckets / parts}
		futures[i] = workflow.ExecuteActivity(ctx, (*Activities).CountStreams, p)
	}
	keys := make([]string, parts)
	for i, f := range futures {
		if err := f.Get(ctx, &keys[i]); err != nil {
			return nil, fmt.Errorf("%s %s part %d/%d: %w", kind, period, i+1, parts, err)
		}
	}
	return keys, nil
}

// positiveOr is v when it is positive and def otherwise: a count of zero
// (or less) in a request means "the default".
func positiveOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
