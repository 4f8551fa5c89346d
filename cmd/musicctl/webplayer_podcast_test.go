package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/openmusic/music/internal/browsertest"
	"github.com/openmusic/music/internal/feedserver"
	"github.com/openmusic/music/serving"
)

// TestWebPlayerPodcastInABrowser drives the podcast page in headless
// Chromium against `musicctl up` with a real feed of speech: home links
// the followed show; its page unfollows and follows again; an episode
// plays, and pausing saves the resume point on the server; after a
// reload the episode resumes from it; the play is reported. Controls are
// found by role and name, and axe-core checks the page.
func TestWebPlayerPodcastInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, the PodcastFeed workflow and a browser")
	}
	browser := browsertest.Start(t)
	axe := browsertest.AxeScript(t)
	work := t.TempDir()
	const showTitle, epTitle = "Signal and Noise", "Loudness explained"
	ep := feedserver.Item{GUID: "ep1", Title: epTitle, Published: time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC),
		Audio: feedserver.Speech(t, work, "one", "Today we explain loudness, and why speech is normalised to minus sixteen. "+
			"A podcast is measured over its whole length, then turned up or down once, so that one show is as loud as the next.")}
	host := feedserver.Start(t, showTitle, ep)
	w := &playerWorld{data: filepath.Join(work, "data"), user: "ada", password: "correct horse battery"}
	up := startUp(t, "--data-dir", w.data, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--podcast-allow-private")
	w.base = "http://" + up.ready["http"]
	label, stderr, code := run(t, "users", "add", "pod-label", "--role", "label", "--data-dir", w.data)
	if code != 0 {
		t.Fatalf("users add (label): exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	out, stderr, code := run(t, "podcasts", "add", host.FeedURL(), "--server", w.base, "--json")
	var added podcastAdded
	if code != 0 || json.Unmarshal([]byte(out), &added) != nil {
		t.Fatalf("podcasts add: exit %d: %s %s", code, out, stderr)
	}
	show := added.Show.ID
	ada := w.addListener(t, w.user, w.password)
	episode := waitEpisodes(t, w.base, show, ada.Token, 1)[0]
	put(t, w.base+"/api/v1/me/podcasts/"+show, ada.Token, "", http.StatusNoContent)

	p := browser.NewPage()
	traffic := browsertest.Watch(t, p)
	w.signIn(p)
	p.Click("link", showTitle) // under "Your podcasts" on home
	p.Find("heading", showTitle)
	// Unfollow, then follow again: the button and the server agree.
	p.Click("button", "Unfollow "+showTitle)
	p.Find("button", "Follow "+showTitle)
	if n := followedShows(t, w.base, ada.Token); n != 0 {
		t.Fatalf("after unfollowing, the listener follows %d shows", n)
	}
	p.Click("button", "Follow "+showTitle)
	p.Find("button", "Unfollow "+showTitle)
	if n := followedShows(t, w.base, ada.Token); n != 1 {
		t.Fatalf("after following again, the listener follows %d shows", n)
	}
	for _, v := range p.SeriousViolations(axe) {
		t.Errorf("podcast page: axe %s (%s): %s at %v", v.ID, v.Impact, v.Help, v.Nodes)
	}

	// Play, pause: the resume point is saved.
	p.Click("button", "Play "+epTitle)
	p.WaitUntil("the episode playing", playing+` && `+position+` > 2`)
	if got := browsertest.Eval[string](p, `document.getElementById('now-title').textContent + ' | ' + document.getElementById('now-artist').textContent`); got != epTitle+" | "+showTitle {
		t.Fatalf("the player shows %q", got)
	}
	p.Click("button", "Pause")
	p.WaitUntil("paused", paused)
	waitForResponse(t, traffic, "/api/v1/me/episodes/"+episode.ID+"/position", func(s int64) bool { return s == http.StatusNoContent })
	var saved serving.EpisodeJSON
	getJSON(t, w.base+"/api/v1/episodes/"+episode.ID, ada.Token, &saved)
	heard := browsertest.Eval[float64](p, position)
	if saved.ResumePositionMS == nil || *saved.ResumePositionMS < 2000 || float64(*saved.ResumePositionMS) > heard*1000+1000 {
		t.Fatalf("resume point %v ms after pausing at %.2f s, want about the pause", saved.ResumePositionMS, heard)
	}

	// A fresh page resumes from the saved point.
	p.Do(chromedp.Reload())
	p.Find("heading", showTitle)
	p.Click("button", "Play "+epTitle)
	p.WaitUntil("the episode playing again", playing)
	from := browsertest.Eval[float64](p, position)
	t.Logf("paused at %.2f s, saved %d ms, resumed at %.2f s", heard, *saved.ResumePositionMS, from)
	if resume := float64(*saved.ResumePositionMS) / 1000; from < resume-0.25 || from > resume+1 {
		t.Fatalf("resumed at %.2f s, want the saved %.2f s", from, resume)
	}
	// Played to its end, the play is reported as the episode's.
	p.WaitUntil("the episode's end", paused)
	waitForReport(t, traffic)
	var stats struct {
		Days []struct{ Plays, Completed int }
	}
	getJSON(t, w.base+"/api/v1/podcasts/"+show+"/stats", strings.TrimSpace(label), &stats)
	plays, completed := 0, 0
	for _, d := range stats.Days {
		plays, completed = plays+d.Plays, completed+d.Completed
	}
	if plays < 1 || completed < 1 {
		t.Fatalf("show stats after the plays: %+v, want a completed play", stats.Days)
	}
}

// followedShows counts the shows the listener follows.
func followedShows(t *testing.T, base, token string) int {
	t.Helper()
	var page struct{ Total int }
	getJSON(t, base+"/api/v1/me/podcasts", token, &page)
	return page.Total
}
