package workflows

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/feedserver"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/search"
)

// podcastIndex is the worker's search indexer over a real Bleve index.
type podcastIndex struct {
	store music.PodcastStore
	idx   music.SearchIndex
}

func (podcastIndex) IndexRelease(context.Context, string) error { return nil }
func (p podcastIndex) IndexEpisode(ctx context.Context, id string) error {
	return search.IndexEpisode(ctx, p.store, p.idx, id)
}
func (p podcastIndex) IndexShow(ctx context.Context, id string) error {
	return search.IndexShow(ctx, p.store, p.idx, id)
}

// pausedFeeds records the schedules paused, as PodcastPoller would pause them.
type pausedFeeds struct {
	mu     sync.Mutex
	paused []string
}

func (p *pausedFeeds) Pause(_ context.Context, showID, note string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = append(p.paused, showID+": "+note)
	return nil
}

// TestPodcastFeedLockedTakesShowDown: a show registered while its feed was
// open, whose feed then turns podcast:locked, is taken down by the next
// poll with the reason "locked by its owner": Show answers ENOTFOUND
// naming the lock, the poll's error is on the show, the search index no
// longer holds the show or its episode, and the schedule is paused.
// Nothing is deleted.
func TestPodcastFeedLockedTakesShowDown(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, true)
	idx, err := bleve.Open(t.TempDir(), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	feeds := &pausedFeeds{}
	rig.acts.Search, rig.acts.Feeds = podcastIndex{store: rig.cat, idx: idx}, feeds
	indexed := func() []string { return searchtest.PodcastIDs(t, idx, "locked show") }
	one := feedserver.Item{GUID: "ep1", Title: "Before the lock", Published: time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC),
		Audio: feedserver.Speech(t, t.TempDir(), "one", "This episode was published before the feed was locked.")}
	srv := feedserver.Start(t, "Locked Show", one)
	show, _, err := rig.cat.AddShow(ctx, srv.FeedURL())
	if err != nil {
		t.Fatal(err)
	}
	if res := rig.run(show.ID); res.Poll.Status != PollChanged || len(res.Fetched) != 1 {
		t.Fatalf("open feed: %+v, want its episode fetched", res)
	}
	ep := "" // the published episode
	if eps, _, err := rig.cat.Episodes(ctx, show.ID, 0, 10); err != nil || len(eps) != 1 {
		t.Fatalf("episodes %+v, %v", eps, err)
	} else {
		ep = eps[0].ID
	}
	want := []string{ep, show.ID}
	slices.Sort(want)
	if got := indexed(); !slices.Equal(got, want) {
		t.Fatalf("index before the lock holds %v, want %v", got, want)
	}

	srv.SetLocked(true)
	res := rig.run(show.ID)
	if res.Poll.Status != PollLocked || !strings.Contains(res.Poll.Error, "podcast:locked") || len(res.Fetched) != 0 {
		t.Fatalf("locked feed: %+v, want PollLocked with the reason", res)
	}
	_, err = rig.cat.Show(ctx, show.ID)
	if music.ErrorCode(err) != music.ENOTFOUND || !strings.Contains(music.ErrorMessage(err), "was locked by its owner") {
		t.Fatalf("Show of the locked show = %v, want ENOTFOUND saying it was locked by its owner", err)
	}
	if st, _ := rig.cat.FeedState(ctx, show.ID); st.Failures != 1 || !strings.Contains(st.LastError, "locked") {
		t.Errorf("feed state %+v, want the lock recorded as the poll's error", st)
	}
	if got := indexed(); len(got) != 0 {
		t.Errorf("index after the lock holds %v, want neither show nor episode", got)
	}
	if want := []string{show.ID + ": " + lockedNote}; !slices.Equal(feeds.paused, want) {
		t.Errorf("paused %v, want %v", feeds.paused, want)
	}
	if e, err := rig.cat.Episode(ctx, ep); err != nil || e.Audio == nil || e.Hidden {
		t.Fatalf("episode after the lock = %+v, %v; want it kept with its audio", e, err)
	}
}
