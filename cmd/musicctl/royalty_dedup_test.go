package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/openmusic/music/workflows"
)

// TestRoyaltyScheduleAfterManualRun settles last month by hand through
// `up`, then fires the monthly schedule: its run must find the month
// settled under the same workflow ID and start nothing.
func TestRoyaltyScheduleAfterManualRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up and the RoyaltyMonth workflow")
	}
	dir := t.TempDir()
	up := startUp(t, "--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "")
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")

	// Settling with no contracts is a choice made explicit with a header-only file.
	contracts := filepath.Join(dir, "contracts.csv")
	if err := os.WriteFile(contracts, []byte("track_id,holder_id,role,ppm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := run(t, "royalty", "contracts", "set", contracts, "--data-dir", dir); code != 0 {
		t.Fatalf("royalty contracts set: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code := run(t, "royalty", "run", "--month", month, "--data-dir", dir, "--temporal-address", up.ready["temporal"])
	if code != 0 {
		t.Fatalf("royalty run: exit %d\n%s\n%s", code, out, errOut)
	}
	// "workflow royalty-YYYY-MM run RUNID on ADDR"
	f := strings.Fields(out)
	if len(f) < 4 || f[0] != "workflow" || f[1] != workflows.RoyaltyMonthID(month) {
		t.Fatalf("royalty run printed %q", out)
	}
	manualRun := f[3]

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tc, err := client.DialContext(ctx, client.Options{HostPort: up.ready["temporal"]})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	sched := tc.ScheduleClient().GetHandle(ctx, "music-royalty-monthly")
	if err := sched.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	var scheduledID string
	for scheduledID == "" {
		desc, err := sched.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a := desc.Info.RecentActions; len(a) > 0 {
			scheduledID = a[len(a)-1].StartWorkflowResult.WorkflowID
		}
		select {
		case <-ctx.Done():
			t.Fatal("the triggered schedule started nothing within 2 minutes")
		case <-time.After(100 * time.Millisecond):
		}
	}
	var res workflows.ScheduledRoyaltyResult
	if err := tc.GetWorkflow(ctx, scheduledID, "").Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Month != month {
		t.Skipf("the month changed during the test (%s, now %s)", month, res.Month)
	}
	if res.Started || res.WorkflowID != workflows.RoyaltyMonthID(month) {
		t.Errorf("scheduled run after the manual one: %+v, want nothing started for %s", res, workflows.RoyaltyMonthID(month))
	}
	desc, err := tc.DescribeWorkflowExecution(ctx, workflows.RoyaltyMonthID(month), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.WorkflowExecutionInfo.Execution.RunId; got != manualRun {
		t.Errorf("the month's latest run is %s, want the manual run %s", got, manualRun)
	}
}
