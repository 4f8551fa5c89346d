package serving

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// recordingPoller stands in for Temporal: it records what was asked.
type recordingPoller struct{ scheduled, polled []string }

func (p *recordingPoller) Schedule(_ context.Context, id string) error {
	p.scheduled = append(p.scheduled, id)
	return nil
}

func (p *recordingPoller) PollNow(_ context.Context, id string) (string, error) {
	p.polled = append(p.polled, id)
	return "podcast-feed-" + id + "-now", nil
}

// podcastEnv is the API env with one show of two episodes: "new" has
// audio, "pending" has none yet.
type podcastEnv struct {
	*apiEnv
	poller                 *recordingPoller
	ops, showID, ep, unpub string
}

func newPodcastEnv(t *testing.T) *podcastEnv {
	e := &podcastEnv{apiEnv: newAPIEnv(t), poller: &recordingPoller{}}
	ctx := context.Background()
	_, tok, err := e.st.CreateUser(ctx, "ops", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	e.ops = tok
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Poller: e.poller})
	e.showID, e.ep, e.unpub = seedPodcast(t, e.st)
	return e
}

func TestPodcastAPI(t *testing.T) {
	e := newPodcastEnv(t)
	var sh showJSON
	e.must(200, &sh, "GET", "/api/v1/podcasts/"+e.showID, e.alice, "")
	if sh.Title != "The Show" || sh.FeedURL != "https://feeds.example.org/show.xml" || sh.PolledAt.IsZero() {
		t.Fatalf("show %+v", sh)
	}
	var page pageJSON[episodeJSON]
	e.must(200, &page, "GET", "/api/v1/podcasts/"+e.showID+"/episodes?limit=10", e.alice, "")
	if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != e.ep {
		t.Fatalf("episodes %+v, want only the one with audio", page)
	}
	var ep episodeJSON
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	if ep.DurationMS != 61500 || ep.LoudnessLUFS != -16.2 || len(ep.StreamURLs) != 2 ||
		!strings.HasPrefix(ep.StreamURLs["96"], "/audio/"+e.ep+"/0123456789ab/96.ogg") || ep.DownloadURL != ep.StreamURLs["96"] {
		t.Fatalf("episode %+v", ep)
	}
	e.must(404, nil, "GET", "/api/v1/episodes/"+e.unpub, e.alice, "")
	e.must(404, nil, "GET", "/api/v1/podcasts/show_nope/episodes", e.alice, "")

	var added struct {
		Show       showJSON `json:"show"`
		Created    bool     `json:"created"`
		WorkflowID string   `json:"workflow_id"`
	}
	e.must(201, &added, "POST", "/api/v1/podcasts", e.ops, `{"feed_url":"https://other.example.org/rss"}`)
	if !added.Created || added.WorkflowID == "" || e.poller.scheduled[0] != added.Show.ID || e.poller.polled[0] != added.Show.ID {
		t.Fatalf("add = %+v, poller %+v", added, e.poller)
	}
	e.must(200, &added, "POST", "/api/v1/podcasts", e.lbl, `{"feed_url":"https://other.example.org/rss"}`)
	if added.Created || len(e.poller.polled) != 1 {
		t.Fatalf("adding a known feed = %+v, polls %v; want it found, not polled again", added, e.poller.polled)
	}
	e.must(202, nil, "POST", "/api/v1/podcasts/"+e.showID+"/refresh", e.ops, "")
	e.must(404, nil, "POST", "/api/v1/podcasts/show_nope/refresh", e.ops, "")
	for _, bad := range []string{`{"feed_url":""}`, `{"feed_url":"ftp://x.org/f"}`, `{"feed_url":"/relative"}`,
		`{"feed_url":"https://u:p@x.org/f"}`, `{"feed_url":"https://x.org/a b"}`, `{"feed":"https://x.org"}`, `[`} {
		code, _, body := e.do("POST", "/api/v1/podcasts", e.ops, bad)
		if code != 400 || !strings.Contains(string(body), "feed") && !strings.Contains(string(body), "body") {
			t.Errorf("POST %s = %d %s, want 400 naming the field", bad, code, body)
		}
	}
}

// TestPodcastRoutesAuthz: every podcast route refuses a missing token,
// and the curator routes refuse listeners.
func TestPodcastRoutesAuthz(t *testing.T) {
	e := newPodcastEnv(t)
	add := `{"feed_url":"https://authz.example.org/rss"}`
	routes := []struct {
		method, path, body string
		listener           int // what a listener gets
	}{
		{"POST", "/api/v1/podcasts", add, 403},
		{"POST", "/api/v1/podcasts/" + e.showID + "/refresh", "", 403},
		{"GET", "/api/v1/podcasts/" + e.showID, "", 200},
		{"GET", "/api/v1/podcasts/" + e.showID + "/episodes", "", 200},
		{"GET", "/api/v1/episodes/" + e.ep, "", 200},
	}
	for _, r := range routes {
		t.Run(fmt.Sprintf("%s %s", r.method, r.path), func(t *testing.T) {
			if code, _, body := e.do(r.method, r.path, "", r.body); code != 401 {
				t.Errorf("no token: %d %s, want 401", code, body)
			}
			if code, _, body := e.do(r.method, r.path, "not-a-token", r.body); code != 401 {
				t.Errorf("bad token: %d %s, want 401", code, body)
			}
			if code, _, body := e.do(r.method, r.path, e.alice, r.body); code != r.listener {
				t.Errorf("listener: %d %s, want %d", code, body, r.listener)
			}
		})
	}
	if len(e.poller.polled) != 0 {
		t.Fatalf("refused requests polled %v", e.poller.polled)
	}
}

// seedPodcast stores a show of two episodes: the newer one published
// with audio, the other still without.
func seedPodcast(t testing.TB, st music.PodcastStore) (showID, published, unpublished string) {
	t.Helper()
	ctx := context.Background()
	sh, _, err := st.AddShow(ctx, "https://feeds.example.org/show.xml")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	eps := []music.Episode{
		{GUID: "new", Title: "New one", PublishedAt: day.AddDate(0, 0, 7), Enclosure: music.Enclosure{URL: "https://cdn.example.org/new.mp3"}},
		{GUID: "pending", Title: "Pending", PublishedAt: day, Enclosure: music.Enclosure{URL: "https://cdn.example.org/p.mp3"}},
	}
	fetch, err := st.SyncFeed(ctx, sh.ID, music.Show{Title: "The Show"}, eps, music.FeedState{ETag: `"1"`, PolledAt: day})
	if err != nil {
		t.Fatal(err)
	}
	ep := fetch[0].ID
	err = st.SetEpisodeAudio(ctx, ep, music.EpisodeAudio{SourceURL: eps[0].Enclosure.URL,
		OriginalKey: "podcasts/" + ep + "/abc/original", Duration: 61500 * time.Millisecond, LoudnessLUFS: -16.2,
		Renditions: []music.Rendition{
			{TrackID: ep, Rung: "24", BlobKey: "audio/" + ep + "/0123456789ab/24.ogg", Codec: "vorbis"},
			{TrackID: ep, Rung: "96", BlobKey: "audio/" + ep + "/0123456789ab/96.ogg", Codec: "vorbis"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID, ep, fetch[1].ID
}
