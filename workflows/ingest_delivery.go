package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/openmusic/music/ingest"
)

// IngestDelivery takes one uploaded delivery folder to a published
// release: validate everything (PrepareDelivery), run one IngestTrack
// child per sound recording, then publish the release in one catalog
// transaction once every track succeeded. Its workflow ID is
// ingest.WorkflowID(sender, MessageId), so a message delivered twice
// starts nothing new (callers start it with a reject-duplicate policy).
//
// A delivery with problems ends with StatusRejected and every problem in
// the report; one whose track fails ends with StatusFailed, nothing
// published and the new tracks' blobs removed. Either way the workflow
// itself completes, so the report is its result. The uploaded copy under
// the incoming prefix is deleted at the end.
func IngestDelivery(ctx workflow.Context, in IngestDeliveryInput) (IngestReport, error) {
	start := workflow.Now(ctx)
	rep := IngestReport{WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, Tracks: []TrackReport{}}
	prog := &Progress{Stage: "prepare", Tracks: []TrackProgress{}}
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (Progress, error) { return *prog, nil }); err != nil {
		return rep, err
	}
	var plan DeliveryPlan
	if err := workflow.ExecuteActivity(stepOptions(ctx), (*Activities).PrepareDelivery, in).Get(ctx, &plan); err != nil {
		return rep, err
	}
	rep.Sender, rep.Account, rep.MessageID = plan.Sender, plan.Account, plan.MessageID
	var err error
	switch {
	case len(plan.Problems) > 0:
		rep.Status, rep.Problems = StatusRejected, plan.Problems
		rep.Reason = fmt.Sprintf("the delivery has %d problem(s); nothing was ingested", len(plan.Problems))
	case plan.Kind == ingest.KindPurgeRelease:
		prog.Stage = "publish"
		err = workflow.ExecuteActivity(stepOptions(ctx), (*Activities).TakedownReleases, plan.PurgeReleaseIDs).Get(ctx, &rep.Purged)
		rep.Status = StatusPurged
	default:
		err = ingestRelease(ctx, plan, &rep, prog)
	}
	if err != nil {
		return rep, err
	}
	// The masters now live under masters/; the upload is no longer needed.
	if err := workflow.ExecuteActivity(stepOptions(ctx), (*Activities).DiscardPrefix, in.Prefix).Get(ctx, nil); err != nil {
		return rep, err
	}
	prog.Stage = "done"
	rep.Seconds = workflow.Now(ctx).Sub(start).Seconds()
	return rep, nil
}

// ingestRelease runs the tracks in parallel, then publishes or discards.
func ingestRelease(ctx workflow.Context, plan DeliveryPlan, rep *IngestReport, prog *Progress) error {
	rep.ReleaseID, rep.Title = plan.Release.ID, plan.Release.Title
	prog.Stage = "tracks"
	parent := workflow.GetInfo(ctx).WorkflowExecution.ID
	futures := make([]workflow.ChildWorkflowFuture, len(plan.Tracks))
	for i, t := range plan.Tracks {
		id := parent + "/" + t.Track.ID
		prog.Tracks = append(prog.Tracks, TrackProgress{ISRC: t.Track.ISRC, TrackID: t.Track.ID, Title: t.Track.Title, WorkflowID: id, Status: "running"})
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: id})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, IngestTrack, t)
	}
	results := make([]TrackResult, 0, len(futures))
	failed := 0
	for i, f := range futures {
		t := plan.Tracks[i].Track
		line := TrackReport{ISRC: t.ISRC, TrackID: t.ID, Title: t.Title}
		var res TrackResult
		if err := f.Get(ctx, &res); err != nil {
			failed++
			line.Status, line.Error = TrackFailed, rootCause(err)
		} else {
			results = append(results, res)
			l := res.Loudness.Loudness
			line.Status, line.Dedup, line.Loudness, line.Renditions = res.Status, res.Track.Dedup, &l, res.Renditions
		}
		prog.Tracks[i].Status = line.Status
		rep.Tracks = append(rep.Tracks, line)
	}
	prog.Stage = "publish"
	if failed > 0 {
		rep.Status = StatusFailed
		rep.Reason = fmt.Sprintf("%d of %d track(s) failed; nothing was published", failed, len(plan.Tracks))
		ids := make([]string, len(plan.Tracks))
		for i, t := range plan.Tracks {
			ids[i] = t.Track.ID
		}
		return workflow.ExecuteActivity(stepOptions(ctx), (*Activities).DiscardTracks, ids).Get(ctx, nil)
	}
	var pub Published
	in := PublishInput{Release: *plan.Release, Deals: plan.Deals, Tracks: results, Owner: plan.Account}
	if err := workflow.ExecuteActivity(stepOptions(ctx), (*Activities).PublishRelease, in).Get(ctx, &pub); err != nil {
		return err
	}
	rep.Status, rep.AlbumGain = StatusPublished, &pub.Album
	if pub.Held {
		rep.Status = StatusHeld
		rep.Reason = "stored but not published: a track is the same audio as another label's and waits for an ops review (musicctl review list)"
	}
	return nil
}

// rootCause is the message of the activity's own error inside a failed
// child, without the layers of child and activity wrapping.
func rootCause(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	return err.Error()
}

// retryPolicy backs off from 1 s to a minute. Errors marked non-retryable
// (bad input) stop at once.
var retryPolicy = &temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    time.Minute,
	MaximumAttempts:    10,
}

// heartbeatTimeout is short so that a killed worker's activity is retried
// elsewhere within seconds; audio activities heartbeat every 2 s.
const heartbeatTimeout = 10 * time.Second

// stepOptions suit the quick catalog and blob steps.
func stepOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // validation decodes every master
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         retryPolicy,
	})
}

// audioOptions suit fingerprinting and encoding one track.
func audioOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         retryPolicy,
	})
}
