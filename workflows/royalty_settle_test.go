package workflows

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/openmusic/music/lake/synth"
)

// smallMonth is a synthetic month small enough for quick settlement tests.
var smallMonth = synth.Config{Month: march, Events: 2_000, Users: 40, Tracks: 20, Seed: 11}

// runRoyaltyMonth runs the workflow on a and returns its result or error.
func runRoyaltyMonth(t *testing.T, a *Activities, in RoyaltyMonthInput) (RoyaltyMonthResult, error) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute) // counting is real work; the default is 3 s
	// A loaded machine can starve the workflow goroutine past the 1 s default.
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	env.RegisterActivity(a)
	env.ExecuteWorkflow(RoyaltyMonth, in)
	var res RoyaltyMonthResult
	if err := env.GetWorkflowError(); err != nil {
		return res, err
	}
	return res, env.GetWorkflowResult(&res)
}

// TestRoyaltyScheduleNeedsContracts: the monthly schedule names no
// contracts file, so it reads DefaultContractsKey; when that is missing
// the run fails saying so, instead of leaving every pool unallocated.
func TestRoyaltyScheduleNeedsContracts(t *testing.T) {
	a, _, _ := batchEnvSized(t, smallMonth)
	_, err := runRoyaltyMonth(t, a, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2})
	if err == nil || !strings.Contains(err.Error(), DefaultContractsKey) {
		t.Fatalf("run without a contracts file: %v; want an error naming %s", err, DefaultContractsKey)
	}
}

// TestSettledMonthNeedsForce: a month that is settled cannot be settled
// again by accident; the ledger stays as it was.
func TestSettledMonthNeedsForce(t *testing.T) {
	a, st, blobs := batchEnvSized(t, smallMonth)
	putContracts(t, blobs)
	ctx := context.Background()
	if err := st.SetPool(ctx, "2026-03", "GB", 1_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := runRoyaltyMonth(t, a, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2}); err != nil {
		t.Fatal(err)
	}
	first, err := st.Ledger(ctx, "2026-03")
	if err != nil || len(first) == 0 {
		t.Fatalf("ledger after the first run: %d lines, %v", len(first), err)
	}
	if err := st.SetPool(ctx, "2026-03", first[0].Territory, 5); err != nil {
		t.Fatal(err)
	}
	_, err = runRoyaltyMonth(t, a, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2})
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second run of a settled month: %v; want it refused, naming --force", err)
	}
	again, err := st.Ledger(ctx, "2026-03")
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("the refused run changed the ledger: %d lines (%v)", len(again), err)
	}
	// Forced, it settles again and keeps the first ledger as version 1.
	if _, err := runRoyaltyMonth(t, a, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2, Force: true}); err != nil {
		t.Fatalf("forced run: %v", err)
	}
	v1, err := st.LedgerVersion(ctx, "2026-03", 1)
	if err != nil || !reflect.DeepEqual(v1, first) {
		t.Errorf("version 1 after the forced run: %d lines (%v), want the first ledger's %d", len(v1), err, len(first))
	}
	if now, err := st.Ledger(ctx, "2026-03"); err != nil || reflect.DeepEqual(now, first) {
		t.Errorf("the forced run did not settle with the new pool (%v)", err)
	}
}
