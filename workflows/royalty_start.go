package workflows

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// RoyaltyMonthID is the workflow ID of a month's RoyaltyMonth run,
// whoever starts it (`royalty run` or the monthly schedule), so that two
// starts of the same month are one run.
func RoyaltyMonthID(month string) string { return "royalty-" + month }

// StartRoyaltyMonth starts RoyaltyMonth for in.Month, or, when a run of
// that month is going (started by hand or by the schedule), returns that
// run. A month already settled is settled again: ops asked for it.
func StartRoyaltyMonth(ctx context.Context, tc client.Client, in RoyaltyMonthInput) (client.WorkflowRun, error) {
	return tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                                       RoyaltyMonthID(in.Month),
		TaskQueue:                                TaskQueue,
		WorkflowExecutionErrorWhenAlreadyStarted: false,
	}, RoyaltyMonth, in)
}

// ScheduledRoyaltyResult is what a scheduled royalty run did.
type ScheduledRoyaltyResult struct {
	Month      string
	WorkflowID string // the month's RoyaltyMonth run
	// Started is false when that run was going or had settled the month
	// already (a manual `royalty run`); nothing was started then.
	Started bool
	Result  *RoyaltyMonthResult `json:",omitempty"` // when Started
}

// ScheduledRoyaltyMonth is what the monthly schedule runs. A schedule
// names its runs after the schedule and the time, so it cannot start
// RoyaltyMonth under RoyaltyMonthID itself; this workflow does, as a
// child, for the month before the scheduled time (or in.Month). A run of
// that month that is going or has succeeded is not started again.
func ScheduledRoyaltyMonth(ctx workflow.Context, in RoyaltyMonthInput) (ScheduledRoyaltyResult, error) {
	if in.Month == "" {
		in.Month = monthBefore(workflow.Now(ctx))
	}
	res := ScheduledRoyaltyResult{Month: in.Month, WorkflowID: RoyaltyMonthID(in.Month)}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            res.WorkflowID,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		ParentClosePolicy:     enums.PARENT_CLOSE_POLICY_ABANDON,
	})
	var out RoyaltyMonthResult
	err := workflow.ExecuteChildWorkflow(cctx, RoyaltyMonth, in).Get(ctx, &out)
	var dup *temporal.ChildWorkflowExecutionAlreadyStartedError
	switch {
	case errors.As(err, &dup):
		return res, nil
	case err != nil:
		return res, err
	}
	res.Started, res.Result = true, &out
	return res, nil
}

// monthBefore is the YYYY-MM of the month before t's, in UTC.
func monthBefore(t time.Time) string {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")
}
