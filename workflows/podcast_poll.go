package workflows

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/rss"
	"github.com/openmusic/music/webfetch"
)

// Poll outcomes.
const (
	PollChanged   = "changed"   // the feed was read and stored
	PollUnchanged = "unchanged" // 304 Not Modified
	PollSkipped   = "skipped"   // the feed is failing and backing off
	PollFailed    = "failed"    // the feed could not be read; see Error
	// PollLocked: the feed is locked (podcast:locked yes), so the show
	// was taken down as "locked by its owner"; see lockShow.
	PollLocked = "locked"
)

// PollResult is one poll of a show's feed.
type PollResult struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Problems are the items left out of the feed, each with its reason.
	Problems []string `json:"problems,omitempty"`
	// Fetch are the episodes whose audio must be fetched.
	Fetch []EpisodeRef `json:"fetch,omitempty"`
}

// EpisodeRef names an episode and the enclosure to fetch for it.
type EpisodeRef struct {
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Show  string `json:"show"` // the show's title, for the audio's tags
	// Chapters and Transcript are fetched and kept with the audio.
	Chapters   music.Link `json:"chapters,omitzero"`
	Transcript music.Link `json:"transcript,omitzero"`
}

// maxFeedBackoff caps how long a failing feed waits between polls.
const maxFeedBackoff = 24 * time.Hour

// feedBackoff is how long after its last poll a feed that failed n times
// in a row waits: an hour doubled per further failure, at most a day, so
// dead feeds cost little and a feed back from an outage is seen soon.
func feedBackoff(failures int) time.Duration {
	d := time.Hour
	for i := 1; i < failures && d < maxFeedBackoff; i++ {
		d *= 2
	}
	return min(d, maxFeedBackoff)
}

// PollFeed reads a show's feed with a conditional GET and stores what
// changed (music.PodcastStore.SyncFeed). A feed that cannot be read or is
// refused (malformed, too big, locked, at a private address, a guid
// scheme change) is recorded on the show with its reason and the poll
// returns PollFailed rather than an error: the schedule tries again later,
// with backoff, and Temporal does not hammer a dead server. A locked feed
// also takes the show down (PollLocked). Only the catalog being down is
// an error (retried). force skips the backoff.
func (a *Activities) PollFeed(ctx context.Context, showID string, force bool) (PollResult, error) {
	show, err := a.Podcasts.Show(ctx, showID)
	if err != nil {
		return PollResult{}, permanent(err)
	}
	st, err := a.Podcasts.FeedState(ctx, showID)
	if err != nil {
		return PollResult{}, err
	}
	now := a.now()
	if !force && st.Failures > 0 && now.Before(st.PolledAt.Add(feedBackoff(st.Failures))) {
		return PollResult{Status: PollSkipped, Error: st.LastError}, nil
	}
	fail := func(err error) (PollResult, error) {
		st.Failures++
		st.LastError, st.PolledAt = err.Error(), now
		if rerr := a.Podcasts.RecordPoll(ctx, showID, st); rerr != nil {
			return PollResult{}, rerr
		}
		return PollResult{Status: PollFailed, Error: st.LastError}, nil
	}
	resp, err := a.Web.Get(ctx, show.FeedURL, webfetch.Validators{ETag: st.ETag, LastModified: st.LastModified}, rss.DefaultMaxFeedSize)
	if err != nil {
		return fail(fmt.Errorf("feed %s: %w", show.FeedURL, err))
	}
	if resp.NotModified {
		st.Failures, st.LastError, st.PolledAt = 0, "", now
		return PollResult{Status: PollUnchanged}, a.Podcasts.RecordPoll(ctx, showID, st)
	}
	feed, err := rss.Parse(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fail(fmt.Errorf("feed %s: %w", show.FeedURL, err))
	}
	if feed.Show.Locked {
		polled, err := fail(music.Errorf(music.EFORBIDDEN, "feed %s is locked (podcast:locked yes): its owner does not allow other platforms to import it", show.FeedURL))
		if err != nil {
			return polled, err
		}
		return a.lockShow(ctx, showID, polled)
	}
	fetch, err := a.Podcasts.SyncFeed(ctx, showID, feed.Show, feed.Episodes, music.FeedState{
		ETag: resp.Validators.ETag, LastModified: resp.Validators.LastModified, PolledAt: now})
	if err != nil {
		if code := music.ErrorCode(err); code == music.EUNPROCESSABLE || code == music.EINVALID {
			return fail(err)
		}
		return PollResult{}, err
	}
	res := PollResult{Status: PollChanged}
	for _, p := range feed.Problems {
		res.Problems = append(res.Problems, p.String())
	}
	for _, e := range fetch {
		res.Fetch = append(res.Fetch, EpisodeRef{ID: e.ID, URL: e.Enclosure.URL, Title: e.Title, Show: feed.Show.Title,
			Chapters: e.Chapters, Transcript: e.Transcript})
	}
	return res, nil
}
