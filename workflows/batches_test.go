package workflows

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/lake/synth"
	"github.com/openmusic/music/royalty"
	"github.com/openmusic/music/sqlstore"
)

var march = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// batchEnv is a synthetic month in a file lake, a SQLite catalog with a
// pool for every territory the generator uses, and the activities on them.
func batchEnv(t *testing.T) (*Activities, *sqlstore.Store, music.BlobStore) {
	t.Helper()
	return batchEnvSized(t, synth.Config{Month: march, Events: 20_000, Users: 300, Tracks: 200, Seed: 7})
}

// batchEnvSized is batchEnv on a synthetic month of the given shape.
func batchEnvSized(t *testing.T, month synth.Config) (*Activities, *sqlstore.Store, music.BlobStore) {
	t.Helper()
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Generate(ctx, blobs, month); err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	counts, err := royalty.CountMonth(ctx, blobs, march, royalty.CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range counts.Daily {
		if err := st.SetPool(ctx, "2026-03", d.Territory, 1_000_000_007); err != nil {
			t.Fatal(err)
		}
	}
	return &Activities{Blobs: blobs, Catalog: st, Users: st, Batches: st, CountWorkers: 2}, st, blobs
}

// putContracts stores a contracts file with no contracts at
// DefaultContractsKey, which a scheduled run needs.
func putContracts(t *testing.T, blobs music.BlobStore) {
	t.Helper()
	if _, err := blobs.Put(context.Background(), DefaultContractsKey, strings.NewReader("track_id,holder_id,role,ppm\n"), music.PutOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestRoyaltyMonthMatchesOneShotRun: fanned out over parts, the workflow
// settles the month exactly as the single-process royalty.Run does, and
// stores the same ledger in the catalog DB.
func TestRoyaltyMonthMatchesOneShotRun(t *testing.T) {
	a, st, blobs := batchEnv(t)
	putContracts(t, blobs)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute) // counting is real work; the default is 3 s
	// A loaded machine can starve the workflow goroutine past the 1 s default.
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	env.RegisterActivity(a)
	env.ExecuteWorkflow(RoyaltyMonth, RoyaltyMonthInput{Month: "2026-03", Buckets: 32, Parts: 5})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res RoyaltyMonthResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ledger, err := st.Ledger(ctx, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	if len(ledger) == 0 || len(ledger) != res.LedgerLines {
		t.Fatalf("ledger in the DB has %d lines, workflow reported %d", len(ledger), res.LedgerLines)
	}
	workflowLedger := readBlob(t, blobs, royalty.OutputPrefix("2026-03")+"ledger.csv")

	oneShot, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want, err := royalty.Run(ctx, royalty.RunConfig{Month: march, Lake: blobs, Out: oneShot, Pools: st, Count: royalty.CountOptions{Buckets: 32}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Stats, want.Settlement.Stats) {
		t.Fatalf("stats %+v, one-shot run %+v", res.Stats, want.Settlement.Stats)
	}
	if !reflect.DeepEqual(ledger, want.Settlement.Ledger) {
		t.Fatal("ledger in the DB differs from the one-shot run's")
	}
	if !bytes.Equal(workflowLedger, readBlob(t, oneShot, royalty.OutputPrefix("2026-03")+"ledger.csv")) {
		t.Fatal("ledger.csv differs from the one-shot run's")
	}
}

func TestRankingsStoresCharts(t *testing.T) {
	a, st, _ := batchEnv(t)
	ctx := context.Background()
	if err := st.PutRelease(ctx, catalogtest.Publication(1, 1)); err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute) // counting is real work; the default is 3 s
	env.RegisterActivity(a)
	env.ExecuteWorkflow(Rankings, RankingsInput{Date: "2026-03-14", Buckets: 16, Parts: 3, Limit: 10})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res RankingsResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	day, _ := time.Parse(time.DateOnly, "2026-03-14")
	counts, err := royalty.CountDay(ctx, a.Blobs, day, royalty.CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]int64{}
	for _, d := range counts.Daily {
		top[d.TrackID] += d.Streams
	}
	c, err := st.Chart(ctx, "2026-03-14", "overall", 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tracks != len(top) || len(c.Entries) != min(10, len(top)) {
		t.Fatalf("chart of %d entries from %d tracks, want %d tracks", len(c.Entries), res.Tracks, len(top))
	}
	for i, e := range c.Entries {
		if top[e.TrackID] != e.Streams || e.Rank != i+1 || (i > 0 && e.Streams > c.Entries[i-1].Streams) {
			t.Fatalf("entry %d: %+v, streams counted %d", i, e, top[e.TrackID])
		}
	}
}

// TestCorruptLakeFileFailsRoyaltyMonth: a damaged Parquet file fails the
// workflow, naming the file, without retrying.
func TestCorruptLakeFileFailsRoyaltyMonth(t *testing.T) {
	a, _, blobs := batchEnv(t)
	ctx := context.Background()
	files, err := lake.FilesBetween(ctx, blobs, march, march.AddDate(0, 1, 0))
	if err != nil || len(files) == 0 {
		t.Fatalf("lake files: %v (%d)", err, len(files))
	}
	bad := files[len(files)/2].Key
	if _, err := blobs.Put(ctx, bad, strings.NewReader("PAR1 this is not parquet PAR1"), music.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute) // counting is real work; the default is 3 s
	env.RegisterActivity(a)
	env.ExecuteWorkflow(RoyaltyMonth, RoyaltyMonthInput{Month: "2026-03", Buckets: 8, Parts: 2})
	err = env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), filepath.Base(bad)) {
		t.Fatalf("workflow error %v, want one naming %s", err, bad)
	}
}

func readBlob(t *testing.T, s music.BlobStore, key string) []byte {
	t.Helper()
	rc, _, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
