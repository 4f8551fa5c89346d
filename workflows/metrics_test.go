package workflows

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/lake/synth"
	"github.com/openmusic/music/metrics"
	"github.com/openmusic/music/temporalmetrics"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
)

// series reads reg, failing the test on an error.
func series(t *testing.T, reg prometheus.Gatherer) map[string]float64 {
	t.Helper()
	got, err := metrics.Series(reg)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestIngestRecordsStageTimes ingests a one-track delivery through the
// real activities and finds one sample of each stage and of each encode
// part in the histograms.
func TestIngestRecordsStageTimes(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewIngestMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	rig := newIngestRig(t)
	rig.acts.Metrics = m
	cuts := testmusic.Dir(t, "cuts")
	rep := rig.ingest(writeDelivery(t, deliverytest.Release{UPC: deliverytest.UPC(7), Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 7), Title: "Knolls", Source: filepath.Join(cuts, "knolls-8s.flac")},
	}}))
	if rep.Status != StatusPublished {
		t.Fatalf("delivery: %+v", rep)
	}
	got := series(t, reg)
	for _, stage := range []string{StageValidate, StageFingerprint, StageEncode, StagePublish} {
		k := `music_ingest_stage_seconds_count{outcome="ok",stage="` + stage + `"}`
		if got[k] != 1 {
			t.Errorf("%s = %v, want 1", k, got[k])
		}
	}
	for _, part := range []string{"vorbis_24", "vorbis_96", "vorbis_160", "vorbis_320", "preview", "decode"} {
		k := `music_ingest_encode_cpu_seconds_count{part="` + part + `"}`
		if got[k] != 1 || got[`music_ingest_encode_cpu_seconds_sum{part="`+part+`"}`] <= 0 {
			t.Errorf("%s = %v with sum %v, want one positive sample", k, got[k], got[`music_ingest_encode_cpu_seconds_sum{part="`+part+`"}`])
		}
	}
	if t.Failed() {
		t.Logf("series: %v", got)
	}
}

// TestBatchWorkflowsRecordDuration runs the royalty month, the daily
// charts and the recommendations through the SDK with the Prometheus
// handler and finds one duration sample per batch.
func TestBatchWorkflowsRecordDuration(t *testing.T) {
	reg := prometheus.NewRegistry()
	h, err := temporalmetrics.NewHandler(reg)
	if err != nil {
		t.Fatal(err)
	}
	run := func(a *Activities, wf, in any) {
		t.Helper()
		var suite testsuite.WorkflowTestSuite
		suite.SetMetricsHandler(h)
		env := suite.NewTestWorkflowEnvironment()
		env.SetTestTimeout(5 * time.Minute)
		env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
		env.RegisterActivity(a)
		env.ExecuteWorkflow(wf, in)
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
	}
	a, _, blobs := batchEnvSized(t, synth.Config{Month: march, Events: 2_000, Users: 50, Tracks: 40, Seed: 3})
	putContracts(t, blobs)
	run(a, RoyaltyMonth, RoyaltyMonthInput{Month: "2026-03", Buckets: 4, Parts: 2})
	run(a, Rankings, RankingsInput{Date: "2026-03-10", Buckets: 4, Parts: 2})
	reco, _, _ := recoEnv(t, 0)
	run(reco, Recommendations, RecommendationsInput{AsOf: recoAsOf.Format(time.DateOnly)})
	got := series(t, reg)
	for _, b := range []string{"royalty", "rankings", "recommendations"} {
		if k := `music_batch_duration_seconds_count{batch="` + b + `"}`; got[k] != 1 {
			t.Errorf("%s = %v, want 1", k, got[k])
		}
	}
}
