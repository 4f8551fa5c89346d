package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// TestScheduledRoyaltyMonthUsesTheMonthID checks that the schedule's run
// settles the month before its time under RoyaltyMonthID, the ID a
// manual `royalty run` of that month uses, so Temporal keeps the two to
// one run (cmd/musicctl's TestRoyaltyScheduleAfterManualRun shows that on
// a real server).
func TestScheduledRoyaltyMonthUsesTheMonthID(t *testing.T) {
	cases := []struct {
		at    time.Time
		month string
	}{
		{time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC), "2026-03"},
		{time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), "2025-12"},
		{time.Date(2026, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "2026-01"}, // still February in UTC
	}
	for _, tc := range cases {
		var suite testsuite.WorkflowTestSuite
		env := suite.NewTestWorkflowEnvironment()
		env.SetStartTime(tc.at)
		env.RegisterWorkflow(RoyaltyMonth)
		env.OnWorkflow(RoyaltyMonth, mock.Anything, RoyaltyMonthInput{Month: tc.month}).Return(RoyaltyMonthResult{Month: tc.month, LedgerLines: 7}, nil)
		var childID string
		env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
			childID = info.WorkflowExecution.ID
		})
		env.ExecuteWorkflow(ScheduledRoyaltyMonth, RoyaltyMonthInput{})
		if err := env.GetWorkflowError(); err != nil {
			t.Fatalf("%v: %v", tc.at, err)
		}
		var res ScheduledRoyaltyResult
		if err := env.GetWorkflowResult(&res); err != nil {
			t.Fatal(err)
		}
		if want := "royalty-" + tc.month; childID != want || res.WorkflowID != want || RoyaltyMonthID(tc.month) != want {
			t.Errorf("%v: child %q, result %q, want %q", tc.at, childID, res.WorkflowID, want)
		}
		if !res.Started || res.Result == nil || res.Result.LedgerLines != 7 || res.Month != tc.month {
			t.Errorf("%v: result %+v", tc.at, res)
		}
	}
}
