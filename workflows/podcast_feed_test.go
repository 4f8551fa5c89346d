package workflows

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/feedserver"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/webfetch"
)

type podcastRig struct {
	t    testing.TB
	cat  *sqlstore.Store
	acts *Activities
}

func newPodcastRig(t testing.TB, allowPrivate bool) *podcastRig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	blobs, err := filestore.Open(ctx, filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := sqlstore.Open(ctx, filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return &podcastRig{t: t, cat: cat, acts: &Activities{
		Blobs: blobs, Catalog: cat, Podcasts: cat, Scratch: filepath.Join(dir, "scratch"), CPU: NewCPUSlots(2),
		Web: webfetch.New(webfetch.Options{AllowPrivate: allowPrivate, Timeout: 20 * time.Second}),
	}}
}

func (r *podcastRig) run(showID string) PodcastFeedResult {
	r.t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(2 * time.Minute)
	env.RegisterActivity(r.acts)
	env.ExecuteWorkflow(PodcastFeed, PodcastFeedInput{ShowID: showID, Force: true})
	if err := env.GetWorkflowError(); err != nil {
		r.t.Fatal(err)
	}
	var res PodcastFeedResult
	if err := env.GetWorkflowResult(&res); err != nil {
		r.t.Fatal(err)
	}
	return res
}

// TestPodcastFeedFetchesSpeech: a feed of real speech is polled, every
// episode fetched, normalised to -16 LUFS and encoded; an unchanged feed
// is a 304 and fetches nothing; a new item and a changed enclosure are
// the only fetches of the next poll; an enclosure that 404s is recorded
// on its episode and leaves it unpublished.
func TestPodcastFeedFetchesSpeech(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, true)
	dir := t.TempDir()
	day := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	one := feedserver.Item{GUID: "ep1", Title: "Hello there", Published: day,
		Audio: feedserver.Speech(t, dir, "one", "Hello and welcome to the first episode of the test show.")}
	two := feedserver.Item{GUID: "ep2", Title: "Loudness explained", Published: day.AddDate(0, 0, 7),
		Audio: feedserver.Speech(t, dir, "two", "Today we explain loudness. Speech is normalised to minus sixteen.")}
	srv := feedserver.Start(t, "Test Show", two, one)
	show, _, err := rig.cat.AddShow(ctx, srv.FeedURL())
	if err != nil {
		t.Fatal(err)
	}

	res := rig.run(show.ID)
	if res.Poll.Status != PollChanged || len(res.Fetched) != 2 || len(res.Failed) != 0 {
		t.Fatalf("first run %+v, want both episodes fetched", res)
	}
	eps, total, err := rig.cat.Episodes(ctx, show.ID, 0, 10)
	if err != nil || total != 2 || eps[0].GUID != "ep2" || eps[1].GUID != "ep1" {
		t.Fatalf("episodes %+v of %d, %v; want ep2 then ep1", eps, total, err)
	}
	for _, e := range eps {
		a := e.Audio
		if a == nil || len(a.Renditions) != 2 || a.Duration < 2*time.Second || math.Abs(a.LoudnessLUFS-(a.OriginalLUFS+a.GainDB)) > 0.5 {
			t.Fatalf("%s audio %+v", e.GUID, a)
		}
		uncapped := math.Abs(a.GainDB-(-16-a.OriginalLUFS)) < 0.01
		if uncapped && math.Abs(a.LoudnessLUFS+16) > 0.5 {
			t.Errorf("%s at %.2f LUFS, want -16", e.GUID, a.LoudnessLUFS)
		}
		t.Logf("%s: %.1f s, %.2f LUFS → %+.2f dB → %.2f LUFS", e.GUID, a.Duration.Seconds(), a.OriginalLUFS, a.GainDB, a.LoudnessLUFS)
		for _, r := range a.Renditions {
			if _, err := rig.acts.Blobs.Stat(ctx, r.BlobKey); err != nil || !strings.HasPrefix(r.BlobKey, "audio/"+e.ID+"/") {
				t.Errorf("%s rendition %s: %v", e.GUID, r.BlobKey, err)
			}
		}
		if info, err := rig.acts.Blobs.Stat(ctx, a.OriginalKey); err != nil || info.Size != a.OriginalBytes {
			t.Errorf("%s original %s: %+v %v", e.GUID, a.OriginalKey, info, err)
		}
	}
	srv.Requests()

	// Unchanged: one conditional GET answered 304, nothing fetched.
	res = rig.run(show.ID)
	reqs := srv.Requests()
	if res.Poll.Status != PollUnchanged || len(reqs) != 1 || reqs[0].Status != 304 || reqs[0].IfNoneMatch == "" {
		t.Fatalf("unchanged feed: %+v, requests %+v", res, reqs)
	}

	// A new item, a moved enclosure and one that 404s.
	three := feedserver.Item{GUID: "ep3", Title: "Third", Published: day.AddDate(0, 0, 14),
		Audio: feedserver.Speech(t, dir, "three", "The third episode is short.")}
	oneMoved := one
	oneMoved.Path = "/audio/ep1-remastered.mp3"
	oneMoved.Audio = feedserver.Speech(t, dir, "one-v2", "Hello again. This is the first episode, recorded again.")
	gone := feedserver.Item{GUID: "ep4", Title: "Gone", Published: day.AddDate(0, 0, 15), Audio: filepath.Join(dir, "missing.mp3")}
	srv.SetItems(gone, three, two, oneMoved)
	res = rig.run(show.ID)
	fetched := map[string]bool{}
	for _, r := range srv.Requests() {
		fetched[r.Path] = true
	}
	if len(res.Fetched) != 2 || len(res.Failed) != 1 || !fetched["/audio/ep3.mp3"] || !fetched["/audio/ep1-remastered.mp3"] || fetched["/audio/ep2.mp3"] {
		t.Fatalf("third run %+v fetched %v; want ep3 and ep1's new file only, ep4 failed", res, fetched)
	}
	ep4, err := rig.cat.Episode(ctx, res.Failed[0].ID)
	if err != nil || ep4.Audio != nil || !strings.Contains(ep4.AudioError, "404") {
		t.Fatalf("ep4 = %+v, %v; want no audio and a 404 error", ep4, err)
	}
	if _, total, _ := rig.cat.Episodes(ctx, show.ID, 0, 10); total != 3 {
		t.Fatalf("%d published, want 3 (ep4 has no audio)", total)
	}
}

// TestPodcastFeedRefusals: a feed at a private address without
// --podcast-allow-private, and a malformed feed, are recorded on the
// show with their reason, publish nothing, and back off.
func TestPodcastFeedRefusals(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, false)
	srv := feedserver.Start(t, "Private")
	show, _, err := rig.cat.AddShow(ctx, srv.FeedURL())
	if err != nil {
		t.Fatal(err)
	}
	res := rig.run(show.ID)
	st, _ := rig.cat.FeedState(ctx, show.ID)
	if res.Poll.Status != PollFailed || st.Failures != 1 || !strings.Contains(st.LastError, "127.0.0.1") || len(srv.Requests()) != 0 {
		t.Fatalf("private feed: %+v, state %+v", res, st)
	}

	rig.acts.Web = webfetch.New(webfetch.Options{AllowPrivate: true})
	srv.SetRaw([]byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel><title>&a;</title></channel></rss>`))
	res = rig.run(show.ID)
	st, _ = rig.cat.FeedState(ctx, show.ID)
	if res.Poll.Status != PollFailed || st.Failures != 2 || !strings.Contains(st.LastError, "DOCTYPE") {
		t.Fatalf("entity feed: %+v, state %+v", res, st)
	}
	// Not forced, within the backoff: skipped without a request.
	out, err := rig.acts.PollFeed(ctx, show.ID, false)
	if err != nil || out.Status != PollSkipped || len(srv.Requests()) != 1 {
		t.Fatalf("poll during backoff = %+v, %v", out, err)
	}
	if _, total, _ := rig.cat.Episodes(ctx, show.ID, 0, 10); total != 0 {
		t.Fatalf("%d episodes published from refused feeds", total)
	}
}

func TestFeedBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Hour, 2: 2 * time.Hour, 4: 8 * time.Hour, 6: 24 * time.Hour, 40: 24 * time.Hour} {
		if got := feedBackoff(n); got != want {
			t.Errorf("feedBackoff(%d) = %v, want %v", n, got, want)
		}
	}
}
