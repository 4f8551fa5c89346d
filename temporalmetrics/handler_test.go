package temporalmetrics

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmusic/music/metrics"
	"github.com/openmusic/music/temporalserver"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const queue = "metrics-test"

// flaky fails its first attempt, then succeeds.
type flaky struct{ calls atomic.Int32 }

func (f *flaky) Flaky(context.Context) error {
	if f.calls.Add(1) == 1 {
		return errors.New("first attempt fails")
	}
	return nil
}

func Broken(context.Context) error {
	return temporal.NewNonRetryableApplicationError("always fails", "test", nil)
}

func retryOnce(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Millisecond, MaximumAttempts: 3}})
}

// Recovers retries a flaky activity to success and records a batch
// duration through the workflow's handler.
func Recovers(ctx workflow.Context) error {
	var f *flaky
	if err := workflow.ExecuteActivity(retryOnce(ctx), f.Flaky).Get(ctx, nil); err != nil {
		return err
	}
	workflow.GetMetricsHandler(ctx).WithTags(map[string]string{BatchTag: "royalty"}).Timer(BatchDuration).Record(2 * time.Second)
	return nil
}

// Fails ends with its activity's error.
func Fails(ctx workflow.Context) error {
	return workflow.ExecuteActivity(retryOnce(ctx), Broken).Get(ctx, nil)
}

// TestHandlerCountsFailuresAndRetries runs workflows on a real Temporal
// server through a worker built with Handler and Interceptor, and reads
// the failures, retries, completions and the batch duration back from
// the Prometheus registry.
func TestHandlerCountsFailuresAndRetries(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := temporalserver.Start(ctx, temporalserver.Config{Dir: t.TempDir(), FrontendAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	reg := prometheus.NewRegistry()
	h, err := NewHandler(reg)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.DialContext(ctx, client.Options{HostPort: srv.FrontendAddr(), MetricsHandler: h})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	w := worker.New(tc, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{&Interceptor{}}})
	w.RegisterWorkflow(Recovers)
	w.RegisterWorkflow(Fails)
	w.RegisterActivity(&flaky{})
	w.RegisterActivity(Broken)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	run := func(wf any) error {
		r, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, wf)
		if err != nil {
			t.Fatal(err)
		}
		return r.Get(ctx, nil)
	}
	if err := run(Recovers); err != nil {
		t.Fatalf("Recovers: %v", err)
	}
	if err := run(Fails); err == nil {
		t.Fatal("Fails succeeded")
	}
	gather(t, reg, map[string]float64{
		`music_temporal_activity_retries_total{activity_type="Flaky",workflow_type="Recovers"}`:       1,
		`music_temporal_activity_failed_total{activity_type="Flaky",workflow_type="Recovers"}`:        1,
		`music_temporal_activity_failed_total{activity_type="Broken",workflow_type="Fails"}`:          1,
		`music_temporal_workflow_completed_total{task_queue="metrics-test",workflow_type="Recovers"}`: 1,
		`music_temporal_workflow_failed_total{task_queue="metrics-test",workflow_type="Fails"}`:       1,
		`music_batch_duration_seconds_count{batch="royalty"}`:                                         1,
		`music_batch_duration_seconds_sum{batch="royalty"}`:                                           2,
	})
}

// gather checks each series (name{labels sorted}) has the wanted value.
// The worker records a workflow's end after it reports it to the server,
// so a client can see the result first: gather waits up to 10 s for the
// counts to arrive, then reports what differs.
func gather(t *testing.T, reg *prometheus.Registry, want map[string]float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := metrics.Series(reg)
		if err != nil {
			t.Fatal(err)
		}
		var wrong []string
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				wrong = append(wrong, fmt.Sprintf("%s = %v (present %v), want %v", k, g, ok, v))
			}
		}
		if len(wrong) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, w := range wrong {
				t.Error(w)
			}
			t.Logf("series: %v", got)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
