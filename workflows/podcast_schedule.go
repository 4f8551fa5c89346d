package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// DefaultPodcastPoll is how often a show's feed is polled.
const DefaultPodcastPoll = time.Hour

// PodcastFeedID names a show's schedule; its scheduled runs' workflow
// IDs start with it, and RunPodcastFeed's run is it plus "-now".
func PodcastFeedID(showID string) string { return "podcast-feed-" + showID }

// SchedulePodcastFeed creates a show's Temporal Schedule, polling every
// `every` with a tenth of it as jitter so a million shows added at once do
// not poll in the same second. An existing schedule is left alone (ops
// may have paused it).
func SchedulePodcastFeed(ctx context.Context, c client.Client, showID string, every time.Duration) error {
	if every <= 0 {
		every = DefaultPodcastPoll
	}
	id := PodcastFeedID(showID)
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: id,
		Spec: client.ScheduleSpec{
			Intervals: []client.ScheduleIntervalSpec{{Every: every}},
			Jitter:    every / 10,
		},
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action: &client.ScheduleWorkflowAction{
			ID:        id,
			Workflow:  PodcastFeed,
			Args:      []any{PodcastFeedInput{ShowID: showID}},
			TaskQueue: TaskQueue,
		},
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("temporal schedule %s: %w", id, err)
	}
	return nil
}

// PausePodcastFeed pauses a show's schedule, so its feed is no longer
// polled (the show was taken down); note says why, for ops reading the
// schedule. A show without a schedule has nothing to pause.
func PausePodcastFeed(ctx context.Context, c client.Client, showID, note string) error {
	id := PodcastFeedID(showID)
	err := c.ScheduleClient().GetHandle(ctx, id).Pause(ctx, client.SchedulePauseOptions{Note: note})
	var nf *serviceerror.NotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("pause temporal schedule %s: %w", id, err)
	}
	return nil
}

// ResumePodcastFeed undoes PausePodcastFeed, creating the schedule when
// the show has none.
func ResumePodcastFeed(ctx context.Context, c client.Client, showID string, every time.Duration, note string) error {
	if err := SchedulePodcastFeed(ctx, c, showID, every); err != nil {
		return err
	}
	id := PodcastFeedID(showID)
	if err := c.ScheduleClient().GetHandle(ctx, id).Unpause(ctx, client.ScheduleUnpauseOptions{Note: note}); err != nil {
		return fmt.Errorf("unpause temporal schedule %s: %w", id, err)
	}
	return nil
}

// RunPodcastFeed polls a show now, past any backoff. A run already in
// progress is joined rather than doubled.
func RunPodcastFeed(ctx context.Context, c client.Client, showID string) (client.WorkflowRun, error) {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       PodcastFeedID(showID) + "-now",
		TaskQueue:                TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, PodcastFeed, PodcastFeedInput{ShowID: showID, Force: true})
	if err != nil {
		return nil, fmt.Errorf("start feed poll of %s: %w", showID, err)
	}
	return run, nil
}

// PodcastPoller runs feed polls on a Temporal cluster for the serving
// layer (serving.FeedPoller).
type PodcastPoller struct {
	Client client.Client
	Every  time.Duration // DefaultPodcastPoll when zero
}

// Schedule creates the show's schedule if it has none.
func (p PodcastPoller) Schedule(ctx context.Context, showID string) error {
	return SchedulePodcastFeed(ctx, p.Client, showID, p.Every)
}

// PollNow starts (or joins) a poll of the show and returns its workflow ID.
func (p PodcastPoller) PollNow(ctx context.Context, showID string) (string, error) {
	run, err := RunPodcastFeed(ctx, p.Client, showID)
	if err != nil {
		return "", err
	}
	return run.GetID(), nil
}

// Stop pauses the show's schedule: the show was taken down.
func (p PodcastPoller) Stop(ctx context.Context, showID string) error {
	return p.Pause(ctx, showID, "show taken down")
}

// Pause pauses the show's schedule with note (a FeedPauser).
func (p PodcastPoller) Pause(ctx context.Context, showID, note string) error {
	return PausePodcastFeed(ctx, p.Client, showID, note)
}

// Resume unpauses (or creates) the show's schedule: the show was restored.
func (p PodcastPoller) Resume(ctx context.Context, showID string) error {
	return ResumePodcastFeed(ctx, p.Client, showID, p.Every, "show restored")
}
