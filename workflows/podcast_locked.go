package workflows

import (
	"context"

	music "github.com/openmusic/music"
	"go.temporal.io/sdk/workflow"
)

// FeedPauser pauses a show's polling (PodcastPoller on Temporal).
type FeedPauser interface {
	Pause(ctx context.Context, showID, note string) error
}

// ShowIndexer brings the search index in line with a show, up or taken
// down (search.IndexShow). A ReleaseIndexer that is one too is used.
type ShowIndexer interface {
	IndexShow(ctx context.Context, showID string) error
}

// lockedNote is the paused schedule's note for ops reading it.
const lockedNote = "show taken down: feed " + music.ShowLockedByOwner

// lockShow takes down a show whose feed turned podcast:locked after it
// was registered. The lock is the owner's word that this platform may not
// import the feed, so keeping the episodes served (and renewing devices'
// copies) would ignore it: the show is hidden as an ops takedown hides
// it, with the reason "locked by its owner", which listeners' 404s and
// devices' renewals name. Nothing is deleted; ops restore it once the
// owner unlocks the feed (a poll of a feed still locked takes it down
// again). polled is the failed poll already recorded on the show.
func (a *Activities) lockShow(ctx context.Context, showID string, polled PollResult) (PollResult, error) {
	if err := a.Podcasts.TakeDownShow(ctx, showID, music.ShowLockedByOwner); err != nil {
		return PollResult{}, err
	}
	polled.Status = PollLocked
	return polled, nil
}

// withdrawLockedShow finishes lockShow's takedown: the show and its
// episodes leave the search index and its schedule is paused, each an
// activity of its own so a retry repeats only what failed.
func withdrawLockedShow(ctx workflow.Context, showID string) error {
	var a *Activities
	if err := workflow.ExecuteActivity(ctx, a.IndexShow, showID).Get(ctx, nil); err != nil {
		return err
	}
	return workflow.ExecuteActivity(ctx, a.PauseFeed, showID, lockedNote).Get(ctx, nil)
}

// IndexShow brings a show into line in search when this worker holds the
// index (see Activities.Search); elsewhere it does nothing and the next
// reindex, which reads only shows that are up, catches up.
func (a *Activities) IndexShow(ctx context.Context, showID string) error {
	if ix, ok := a.Search.(ShowIndexer); ok {
		return ix.IndexShow(ctx, showID)
	}
	return nil
}

// PauseFeed pauses a show's schedule with note; a worker without
// Feeds has no schedules to pause.
func (a *Activities) PauseFeed(ctx context.Context, showID, note string) error {
	if a.Feeds == nil {
		return nil
	}
	return a.Feeds.Pause(ctx, showID, note)
}
