package workflows

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/internal/feedserver"
)

// TestPodcastBadFeeds: each bad feed is refused with a reason recorded on
// the show and nothing published.
func TestPodcastBadFeeds(t *testing.T) {
	huge := append([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><description>`),
		bytes.Repeat([]byte("padding "), 50<<20/8)...)
	for _, c := range []struct {
		name    string
		private bool // the fetcher may reach 127.0.0.1
		feedURL string
		setup   func(*feedserver.Server)
		want    string // in the show's error
	}{
		{name: "malformed XML", private: true, want: "line 1",
			setup: func(s *feedserver.Server) { s.SetRaw([]byte(`<rss version="2.0"><channel><title>x</title></rss>`)) }},
		{name: "entity bomb", private: true, want: "DOCTYPE", setup: func(s *feedserver.Server) {
			s.SetRaw([]byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>`))
		}},
		{name: "50 MB feed", private: true, want: "limit", setup: func(s *feedserver.Server) { s.SetRaw(huge) }},
		{name: "redirect loop", private: true, want: "redirect", setup: func(s *feedserver.Server) {
			s.Override("/feed.xml", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/feed.xml", http.StatusFound) })
		}},
		{name: "not RSS", private: true, want: "rss", setup: func(s *feedserver.Server) {
			s.SetRaw([]byte(`<?xml version="1.0"?><html><body>Not a feed</body></html>`))
		}},
		{name: "loopback without the flag", want: "127.0.0.1"},
		{name: "cloud metadata address", feedURL: "http://169.254.169.254/latest/meta-data/", want: "169.254.169.254"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			rig := newPodcastRig(t, c.private)
			srv := feedserver.Start(t, "Bad")
			if c.setup != nil {
				c.setup(srv)
			}
			url := c.feedURL
			if url == "" {
				url = srv.FeedURL()
			}
			show, _, err := rig.cat.AddShow(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			res := rig.run(show.ID)
			st, _ := rig.cat.FeedState(ctx, show.ID)
			if res.Poll.Status != PollFailed || st.Failures != 1 || !strings.Contains(strings.ToLower(st.LastError), strings.ToLower(c.want)) {
				t.Fatalf("poll %+v, state %+v; want failed, the error naming %q", res.Poll, st, c.want)
			}
			if _, total, _ := rig.cat.Episodes(ctx, show.ID, 0, 10); total != 0 {
				t.Fatalf("%d episodes published", total)
			}
			t.Logf("show error: %s", st.LastError)
		})
	}
}

// TestPodcastBadEnclosures: an enclosure that is too large or is not
// audio leaves its episode unpublished with the reason; a good episode
// beside it is published; duplicate guids keep the first item only.
func TestPodcastBadEnclosures(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, true)
	rig.acts.EnclosureLimit = 64 << 10
	dir := t.TempDir()
	day := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	good := feedserver.Item{GUID: "good", Title: "Good", Published: day, Audio: feedserver.Speech(t, dir, "good", "A short one.")}
	big := feedserver.Item{GUID: "big", Title: "Big", Published: day.AddDate(0, 0, 1), Audio: feedserver.Speech(t, dir, "big",
		strings.Repeat("This sentence is here to make the file larger than the limit of the test. ", 12))}
	page := feedserver.Item{GUID: "page", Title: "Page", Published: day.AddDate(0, 0, 2), Path: "/audio/page.mp3", Audio: good.Audio}
	dupe := good
	dupe.Title = "Duplicate guid"
	srv := feedserver.Start(t, "Mixed", page, big, good, dupe)
	srv.Override("/audio/page.mp3", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Sorry, this episode moved.</body></html>"))
	})
	show, _, err := rig.cat.AddShow(ctx, srv.FeedURL())
	if err != nil {
		t.Fatal(err)
	}
	res := rig.run(show.ID)
	if len(res.Fetched) != 1 || len(res.Failed) != 2 || len(res.Poll.Problems) != 1 || !strings.Contains(res.Poll.Problems[0], "good") {
		t.Fatalf("run %+v; want good fetched, big and page failed, the duplicate guid reported", res)
	}
	want := map[string]string{"big": "limit", "page": "unsupported format"}
	for _, f := range res.Failed {
		e, err := rig.cat.Episode(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Audio != nil || !strings.Contains(e.AudioError, want[e.GUID]) {
			t.Errorf("%s: audio %v, error %q; want none and %q", e.GUID, e.Audio, e.AudioError, want[e.GUID])
		}
	}
	eps, total, _ := rig.cat.Episodes(ctx, show.ID, 0, 10)
	if total != 1 || eps[0].GUID != "good" || eps[0].Title != "Good" {
		t.Fatalf("published %+v of %d, want only the first item with guid good", eps, total)
	}
}

// TestPodcastGUIDSchemeChange: a feed that renames every guid is refused
// whole, so no episode is published twice.
func TestPodcastGUIDSchemeChange(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, true)
	dir := t.TempDir()
	one := feedserver.Item{GUID: "one", Title: "One", Published: time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC),
		Audio: feedserver.Speech(t, dir, "one", "Episode one.")}
	srv := feedserver.Start(t, "Renamer", one)
	show, _, _ := rig.cat.AddShow(ctx, srv.FeedURL())
	if res := rig.run(show.ID); len(res.Fetched) != 1 {
		t.Fatalf("first run %+v", res)
	}
	renamed := one
	renamed.GUID, renamed.Path = "https://host.example/episodes/1", "/audio/one.mp3"
	srv.SetItems(renamed)
	res := rig.run(show.ID)
	st, _ := rig.cat.FeedState(ctx, show.ID)
	if res.Poll.Status != PollFailed || !strings.Contains(st.LastError, "guid scheme") {
		t.Fatalf("renamed feed: %+v, state %+v", res.Poll, st)
	}
	if _, total, _ := rig.cat.Episodes(ctx, show.ID, 0, 10); total != 1 {
		t.Fatalf("%d published after the refused poll, want 1", total)
	}
}
