package workflows

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// IngestLine is one line of ingest progress: a track of a delivery, or
// the delivery itself before its tracks are known (ISRC empty).
type IngestLine struct {
	Delivery, ISRC, Stage string
	Fraction              float64 // of the current stage, 0..1
}

// FollowDeliveries waits for every started delivery's report. Every
// `every` until then it polls their progress and hands it to show, when
// show is not nil. Losing the connection for a while (the server
// restarting) is survived: the wait resumes.
func FollowDeliveries(ctx context.Context, tc client.Client, started []StartedDelivery, every time.Duration, show func([]IngestLine)) ([]IngestReport, error) {
	reports := make([]IngestReport, len(started))
	errs := make([]error, len(started))
	var wg sync.WaitGroup
	for i, s := range started {
		wg.Go(func() { errs[i] = awaitReport(ctx, tc, s, &reports[i]) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTicker(every)
	defer t.Stop()
	for running := true; running; {
		select {
		case <-done:
			running = false
		case <-t.C:
		}
		if show != nil {
			show(PollProgress(ctx, tc, started))
		}
	}
	return reports, errors.Join(errs...)
}

// awaitReport gets a workflow's result, retrying while the frontend is
// unreachable; a workflow that failed is reported as an error.
func awaitReport(ctx context.Context, tc client.Client, s StartedDelivery, rep *IngestReport) error {
	for {
		err := tc.GetWorkflow(ctx, s.WorkflowID, "").Get(ctx, rep)
		var failed *temporal.WorkflowExecutionError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &failed):
			return fmt.Errorf("workflow %s failed: %w", s.WorkflowID, err)
		case ctx.Err() != nil:
			return ctx.Err()
		}
		select { // Temporal unreachable: try again
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// PollProgress asks each delivery for its tracks, and each running
// track's child workflow for its stage and its activity's heartbeat.
// Errors (the server restarting) leave the stage as "…".
func PollProgress(ctx context.Context, tc client.Client, started []StartedDelivery) []IngestLine {
	var lines []IngestLine
	for _, s := range started {
		var p Progress
		if v, err := tc.QueryWorkflow(ctx, s.WorkflowID, "", QueryProgress); err != nil || v.Get(&p) != nil {
			lines = append(lines, IngestLine{Delivery: s.WorkflowID, Stage: "…"})
			continue
		}
		if len(p.Tracks) == 0 {
			lines = append(lines, IngestLine{Delivery: s.WorkflowID, Stage: p.Stage})
		}
		for _, t := range p.Tracks {
			l := IngestLine{Delivery: s.WorkflowID, ISRC: t.ISRC, Stage: t.Status, Fraction: 1}
			if t.Status == "running" {
				l.Stage, l.Fraction = trackProgress(ctx, tc, t.WorkflowID)
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// trackProgress reads an IngestTrack's stage and, from the pending
// activity's last heartbeat, how far the step is.
func trackProgress(ctx context.Context, tc client.Client, id string) (string, float64) {
	stage := "…"
	if v, err := tc.QueryWorkflow(ctx, id, "", QueryStage); err == nil {
		_ = v.Get(&stage)
	}
	if stage == "done" {
		return stage, 1
	}
	desc, err := tc.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return stage, 0
	}
	for _, pa := range desc.PendingActivities {
		var hb Heartbeat
		if pa.HeartbeatDetails != nil && converter.GetDefaultDataConverter().FromPayloads(pa.HeartbeatDetails, &hb) == nil && hb.Stage != "" {
			return hb.Stage, hb.Fraction
		}
	}
	return stage, 0
}
