package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// PodcastFeedInput is one run of a show's feed workflow.
type PodcastFeedInput struct {
	ShowID string `json:"show_id"`
	// Force polls a failing feed now instead of waiting out its backoff
	// (`musicctl podcasts refresh`, a new show).
	Force bool `json:"force,omitempty"`
}

// PodcastFeedResult is what one run did.
type PodcastFeedResult struct {
	Poll    PollResult       `json:"poll"`
	Fetched []string         `json:"fetched,omitempty"` // episode IDs now published with new audio
	Failed  []EpisodeFailure `json:"failed,omitempty"`
}

// EpisodeFailure is an episode whose audio could not be fetched.
type EpisodeFailure struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// episodeFetchBatch is how many enclosures a run fetches at once; the
// worker's CPU slots bound how many encode at once.
const episodeFetchBatch = 8

// PodcastFeed polls one show's feed and fetches the audio of every new
// or changed episode. A Temporal Schedule per show runs it (hourly by
// default, see SchedulePodcastFeed); the poll backs off on its own when
// the feed keeps failing. An episode is published only when its audio is
// stored, so a failed fetch leaves nothing half-published: its error is
// recorded on the episode and the next poll tries again.
func PodcastFeed(ctx workflow.Context, in PodcastFeedInput) (PodcastFeedResult, error) {
	pollCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 3 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 5 * time.Second, MaximumAttempts: 5},
	})
	var res PodcastFeedResult
	var a *Activities
	if err := workflow.ExecuteActivity(pollCtx, a.PollFeed, in.ShowID, in.Force).Get(ctx, &res.Poll); err != nil {
		return res, err
	}
	if res.Poll.Status == PollLocked {
		return res, withdrawLockedShow(pollCtx, in.ShowID)
	}
	fetchCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, MaximumAttempts: 4},
	})
	refs := res.Poll.Fetch
	for len(refs) > 0 {
		batch := refs[:min(len(refs), episodeFetchBatch)]
		refs = refs[len(batch):]
		futures := make([]workflow.Future, len(batch))
		for i, ref := range batch {
			futures[i] = workflow.ExecuteActivity(fetchCtx, a.FetchEpisode, ref)
		}
		for i, f := range futures {
			err := f.Get(ctx, nil)
			if err == nil {
				res.Fetched = append(res.Fetched, batch[i].ID)
				if err := workflow.ExecuteActivity(pollCtx, a.IndexEpisode, batch[i].ID).Get(ctx, nil); err != nil {
					return res, err
				}
				continue
			}
			msg := activityMessage(err)
			res.Failed = append(res.Failed, EpisodeFailure{ID: batch[i].ID, Error: msg})
			if err := workflow.ExecuteActivity(pollCtx, a.RecordEpisodeError, batch[i].ID, msg).Get(ctx, nil); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// activityMessage is the activity's own error text, without Temporal's
// wrapping ("activity error (type: …)").
func activityMessage(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	return err.Error()
}
