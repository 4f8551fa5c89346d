package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"golang.org/x/term"

	"github.com/openmusic/music/workflows"
)

// progressEvery is how often the per-track progress is polled.
const progressEvery = 500 * time.Millisecond

// waitForReports waits for every started workflow's report while drawing
// per-track progress on w (when show). Losing the connection for a while
// (the server restarting) is survived: the wait resumes.
func waitForReports(ctx context.Context, tc client.Client, started []startedDelivery, w io.Writer, show bool) ([]workflows.IngestReport, error) {
	reports := make([]workflows.IngestReport, len(started))
	errs := make([]error, len(started))
	var wg sync.WaitGroup
	done := make(chan struct{})
	for i, s := range started {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = awaitResult(ctx, tc, s, &reports[i])
		}()
	}
	go func() { wg.Wait(); close(done) }()
	bar := newProgressView(w)
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for running := true; running; {
		select {
		case <-done:
			running = false
		case <-t.C:
		}
		if show {
			bar.draw(pollProgress(ctx, tc, started))
		}
	}
	return reports, errors.Join(errs...)
}

// awaitResult gets a workflow's result, retrying while the frontend is
// unreachable; a workflow that failed is reported as an error.
func awaitResult(ctx context.Context, tc client.Client, s startedDelivery, rep *workflows.IngestReport) error {
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
		time.Sleep(time.Second) // Temporal unreachable: try again
	}
}

// trackLine is one progress bar.
type trackLine struct {
	Delivery, ISRC, Stage string
	Fraction              float64
}

// pollProgress asks each delivery for its tracks, and each running
// track's child workflow for its stage and its activity's heartbeat.
// Errors (the server restarting) leave the stage as "…".
func pollProgress(ctx context.Context, tc client.Client, started []startedDelivery) []trackLine {
	var lines []trackLine
	for _, s := range started {
		var p workflows.Progress
		if v, err := tc.QueryWorkflow(ctx, s.WorkflowID, "", workflows.QueryProgress); err != nil || v.Get(&p) != nil {
			lines = append(lines, trackLine{Delivery: s.WorkflowID, Stage: "…"})
			continue
		}
		if len(p.Tracks) == 0 {
			lines = append(lines, trackLine{Delivery: s.WorkflowID, Stage: p.Stage})
		}
		for _, t := range p.Tracks {
			l := trackLine{Delivery: s.WorkflowID, ISRC: t.ISRC, Stage: t.Status}
			if t.Status == "running" {
				l.Stage, l.Fraction = childProgress(ctx, tc, t.WorkflowID)
			} else {
				l.Fraction = 1
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// childProgress reads an IngestTrack's stage and, from the pending
// activity's last heartbeat, how far the step is.
func childProgress(ctx context.Context, tc client.Client, id string) (string, float64) {
	stage := "…"
	if v, err := tc.QueryWorkflow(ctx, id, "", workflows.QueryStage); err == nil {
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
		var hb workflows.Heartbeat
		if pa.HeartbeatDetails != nil && converter.GetDefaultDataConverter().FromPayloads(pa.HeartbeatDetails, &hb) == nil && hb.Stage != "" {
			return hb.Stage, hb.Fraction
		}
	}
	return stage, 0
}

// progressView draws bars: redrawn in place on a terminal, one line per
// change otherwise (logs, CI).
type progressView struct {
	w     io.Writer
	tty   bool
	drawn int
	last  map[string]string
}

func newProgressView(w io.Writer) *progressView {
	f, ok := w.(*os.File)
	return &progressView{w: w, tty: ok && term.IsTerminal(int(f.Fd())), last: map[string]string{}}
}

func (v *progressView) draw(lines []trackLine) {
	if v.tty && v.drawn > 0 {
		fmt.Fprintf(v.w, "\x1b[%dA", v.drawn)
	}
	v.drawn = 0
	for _, l := range lines {
		const width = 24
		n := int(l.Fraction*width + 0.5)
		n = min(max(n, 0), width)
		text := fmt.Sprintf("%-12s [%s%s] %3.0f%% %s", orDash(l.ISRC), strings.Repeat("#", n), strings.Repeat(".", width-n), l.Fraction*100, l.Stage)
		key := l.Delivery + "/" + l.ISRC
		switch {
		case v.tty:
			fmt.Fprintf(v.w, "\x1b[2K%s\n", text)
			v.drawn++
		case v.last[key] != l.Stage: // line mode: only stage changes
			fmt.Fprintln(v.w, text)
		}
		v.last[key] = l.Stage
	}
}
