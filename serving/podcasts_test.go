package serving

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// recordingPoller stands in for Temporal: it records what was asked.
type recordingPoller struct{ scheduled, polled, stopped, resumed []string }

func (p *recordingPoller) Schedule(_ context.Context, id string) error {
	p.scheduled = append(p.scheduled, id)
	return nil
}

func (p *recordingPoller) PollNow(_ context.Context, id string) (string, error) {
	p.polled = append(p.polled, id)
	return "podcast-feed-" + id + "-now", nil
}

func (p *recordingPoller) Stop(_ context.Context, id string) error {
	p.stopped = append(p.stopped, id)
	return nil
}

func (p *recordingPoller) Resume(_ context.Context, id string) error {
	p.resumed = append(p.resumed, id)
	return nil
}

// musicLog records what reaches the music event log.
type musicLog struct{ events []plays.Event }

func (l *musicLog) Append(_ context.Context, e plays.Event) (bool, error) {
	l.events = append(l.events, e)
	return false, nil
}

// podcastEnv is the API env with one show of two episodes: "new" has
// audio, "pending" has none yet.
type podcastEnv struct {
	*apiEnv
	poller                 *recordingPoller
	log                    *musicLog
	ops, showID, ep, unpub string
}

func newPodcastEnv(t *testing.T) *podcastEnv {
	e := &podcastEnv{apiEnv: newAPIEnv(t), poller: &recordingPoller{}, log: &musicLog{}}
	ctx := context.Background()
	_, tok, err := e.st.CreateUser(ctx, "ops", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	e.ops = tok
	blobs := openFileStore(t)
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Listening: e.st, Plays: e.st, Poller: e.poller, Blobs: blobs})
	e.showID, e.ep, e.unpub = seedPodcast(t, e.st)
	putSeedChapters(t, blobs, e.ep)
	e.s.HandlePlayback(e.st, e.st, e.log)
	e.s.Now = time.Now // podcasts have no deals; plays must be after the accounts were made
	return e
}

func TestPodcastAPI(t *testing.T) {
	e := newPodcastEnv(t)
	var sh ShowJSON
	e.must(200, &sh, "GET", "/api/v1/podcasts/"+e.showID, e.alice, "")
	if sh.Title != "The Show" || sh.FeedURL != "https://feeds.example.org/show.xml" || sh.PolledAt.IsZero() {
		t.Fatalf("show %+v", sh)
	}
	var page pageJSON[EpisodeJSON]
	e.must(200, &page, "GET", "/api/v1/podcasts/"+e.showID+"/episodes?limit=10", e.alice, "")
	if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != e.ep {
		t.Fatalf("episodes %+v, want only the one with audio", page)
	}
	var ep EpisodeJSON
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	if ep.DurationMS != 61500 || ep.LoudnessLUFS != -16.2 || len(ep.StreamURLs) != 2 ||
		!strings.HasPrefix(ep.StreamURLs["96"], "/audio/"+e.ep+"/0123456789ab/96.ogg") || ep.DownloadURL != ep.StreamURLs["96"] {
		t.Fatalf("episode %+v", ep)
	}
	if ep.ResumePositionMS == nil || *ep.ResumePositionMS != 0 || *ep.Completed {
		t.Fatalf("resume point before any play: %v %v", ep.ResumePositionMS, ep.Completed)
	}
	e.must(204, nil, "PUT", "/api/v1/me/episodes/"+e.ep+"/position", e.alice, `{"position_ms":30500}`)
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	if *ep.ResumePositionMS != 30500 || *ep.Completed {
		t.Fatalf("resume point = %d (completed %v), want 30500", *ep.ResumePositionMS, *ep.Completed)
	}
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.bob, "")
	if *ep.ResumePositionMS != 0 {
		t.Fatalf("bob sees alice's resume point %d", *ep.ResumePositionMS)
	}
	for _, bad := range []string{`{}`, `{"position_ms":-1}`, `{"position_ms":61501}`, `{"position_ms":"x"}`} {
		if code, _, body := e.do("PUT", "/api/v1/me/episodes/"+e.ep+"/position", e.alice, bad); code != 400 || !strings.Contains(string(body), "position_ms") {
			t.Errorf("position %s = %d %s, want 400 naming position_ms", bad, code, body)
		}
	}
	e.must(404, nil, "PUT", "/api/v1/me/episodes/"+e.unpub+"/position", e.alice, `{"position_ms":1}`)

	// Follow: one unplayed episode until it is played to the end.
	e.must(204, nil, "PUT", "/api/v1/me/podcasts/"+e.showID, e.alice, "")
	var followed pageJSON[followedShowJSON]
	e.must(200, &followed, "GET", "/api/v1/me/podcasts", e.alice, "")
	if followed.Total != 1 || followed.Items[0].ID != e.showID || followed.Items[0].Unplayed != 1 || followed.Items[0].Title != "The Show" {
		t.Fatalf("followed %+v", followed)
	}
	e.must(204, nil, "PUT", "/api/v1/me/episodes/"+e.ep+"/position", e.alice, `{"position_ms":61000}`)
	e.must(200, &followed, "GET", "/api/v1/me/podcasts", e.alice, "")
	if followed.Items[0].Unplayed != 0 {
		t.Fatalf("unplayed %d after playing to the end, want 0", followed.Items[0].Unplayed)
	}
	e.must(404, nil, "PUT", "/api/v1/me/podcasts/show_nope", e.alice, "")
	e.must(204, nil, "DELETE", "/api/v1/me/podcasts/"+e.showID, e.alice, "")
	e.must(200, &followed, "GET", "/api/v1/me/podcasts", e.alice, "")
	if followed.Total != 0 {
		t.Fatalf("still following %+v", followed)
	}
	e.must(404, nil, "GET", "/api/v1/episodes/"+e.unpub, e.alice, "")
	e.must(404, nil, "GET", "/api/v1/podcasts/show_nope/episodes", e.alice, "")

	var added struct {
		Show       ShowJSON `json:"show"`
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
		{"GET", "/api/v1/podcasts/" + e.showID + "/stats", "", 403},
		{"GET", "/api/v1/episodes/" + e.ep, "", 200},
		{"GET", "/api/v1/episodes/" + e.ep + "/chapters", "", 200},
		{"GET", "/api/v1/episodes/" + e.ep + "/transcript", "", 404},
		{"PUT", "/api/v1/me/podcasts/" + e.showID, "", 204},
		{"GET", "/api/v1/me/podcasts", "", 200},
		{"DELETE", "/api/v1/me/podcasts/" + e.showID, "", 204},
		{"PUT", "/api/v1/me/episodes/" + e.ep + "/position", `{"position_ms":1000}`, 204},
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
	// The listener routes are a listener's own: not for ops or labels.
	for _, path := range []string{"/api/v1/me/podcasts", "/api/v1/me/podcasts/" + e.showID} {
		method := map[bool]string{true: "GET", false: "PUT"}[path == "/api/v1/me/podcasts"]
		if code, _, body := e.do(method, path, e.lbl, ""); code != 403 {
			t.Errorf("label %s %s: %d %s, want 403", method, path, code, body)
		}
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
		},
		Files: []music.EpisodeFile{
			{Kind: music.EpisodeChapters, Type: "application/json+chapters", Key: "podcasts/" + ep + "/abc/chapters",
				SHA256: seedChaptersSHA256(), Bytes: int64(len(seedChapters))},
			{Kind: music.EpisodeTranscript, Type: "text/vtt", Error: "https://cdn.example.org/new.vtt: 404 Not Found"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID, ep, fetch[1].ID
}

// seedChapters is the chapters file seedPodcast's published episode has.
const seedChapters = `{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":30,"title":"Talk"}]}`

func seedChaptersSHA256() string {
	sum := sha256.Sum256([]byte(seedChapters))
	return hex.EncodeToString(sum[:])
}

// putSeedChapters stores the chapters file of seedPodcast's episode ep.
func putSeedChapters(t testing.TB, blobs music.BlobStore, ep string) {
	t.Helper()
	_, err := blobs.Put(context.Background(), "podcasts/"+ep+"/abc/chapters", strings.NewReader(seedChapters),
		music.PutOptions{ContentType: "application/json+chapters", SHA256: seedChaptersSHA256()})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEpisodeFiles: the stored chapters are served with the feed's media
// type and their SHA-256 as ETag; a transcript that could not be fetched
// shows its error and is 404; an unpublished episode's files are 404.
func TestEpisodeFiles(t *testing.T) {
	e := newPodcastEnv(t)
	var ep EpisodeJSON
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	if len(ep.Files) != 2 || ep.Files[0].URL != "/api/v1/episodes/"+e.ep+"/chapters" || ep.Files[0].SHA256 != seedChaptersSHA256() ||
		ep.Files[1].URL != "" || !strings.Contains(ep.Files[1].Error, "404") {
		t.Fatalf("files %+v", ep.Files)
	}
	code, hdr, body := e.do("GET", ep.Files[0].URL, e.alice, "")
	if code != 200 || string(body) != seedChapters || hdr.Get("Content-Type") != "application/json+chapters" ||
		hdr.Get("ETag") != `"`+seedChaptersSHA256()+`"` {
		t.Fatalf("chapters: %d %v %s", code, hdr, body)
	}
	if code, _, body := e.do("GET", "/api/v1/episodes/"+e.ep+"/transcript", e.alice, ""); code != 404 || !strings.Contains(string(body), "no stored transcript") {
		t.Fatalf("transcript that failed to fetch: %d %s, want 404", code, body)
	}
	e.must(404, nil, "GET", "/api/v1/episodes/"+e.unpub+"/chapters", e.alice, "")
	e.must(404, nil, "GET", "/api/v1/episodes/ep_nope/transcript", e.alice, "")
}

// TestEpisodePlays: a play of kind episode is counted in the show's
// statistics and never reaches the music event log (royalties, charts).
func TestEpisodePlays(t *testing.T) {
	e := newPodcastEnv(t)
	playedAt := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	played := playedAt.Format(time.RFC3339)
	report := func(fields string) string {
		return `{"event_id":"ev-1","session_id":"s1","device_id":"d1","played_at":"` + played +
			`","duration_listened_ms":30000,"quality":"96kbps"` + fields + `}`
	}
	var ack struct {
		Duplicate bool `json:"duplicate"`
	}
	e.must(202, &ack, "POST", "/api/v1/playback/report", e.alice, report(`,"kind":"episode","episode_id":"`+e.ep+`"`))
	e.must(202, &ack, "POST", "/api/v1/playback/report", e.alice, report(`,"kind":"episode","episode_id":"`+e.ep+`"`))
	if !ack.Duplicate {
		t.Fatal("the repeated report was not a duplicate")
	}
	for _, c := range []struct {
		fields, want string
		code         int
	}{
		{`,"kind":"episode"`, "episode_id", 400},
		{`,"kind":"episode","episode_id":"` + e.ep + `","track_id":"rel-1-d1t01"`, "track_id", 400},
		{`,"kind":"episode","episode_id":"ep_nope"`, "episode_id", 422},
		{`,"kind":"video","episode_id":"` + e.ep + `"`, "kind", 400},
		{`,"track_id":"rel-1-d1t01","episode_id":"` + e.ep + `"`, "episode_id", 400},
	} {
		code, _, body := e.do("POST", "/api/v1/playback/report", e.alice, report(c.fields))
		if code != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("report %s = %d %s, want %d naming %s", c.fields, code, body, c.code, c.want)
		}
	}
	// An episode play past the report window: refused and counted as late.
	old := time.Now().Add(-31 * 24 * time.Hour).UTC().Format(time.RFC3339)
	tooOld := strings.Replace(report(`,"kind":"episode","episode_id":"`+e.ep+`"`), played, old, 1)
	if code, _, body := e.do("POST", "/api/v1/playback/report", e.alice, tooOld); code != 400 || !strings.Contains(string(body), "field played_at: older than") {
		t.Errorf("31-day-old episode play = %d %s, want 400 naming played_at", code, body)
	}
	if got := scrape(t, e.s)[`music_playback_reports_too_late_total{kind="episode"}`]; got != 1 {
		t.Errorf("episode too-late counter %v, want 1", got)
	}
	if len(e.log.events) != 0 {
		t.Fatalf("episode plays reached the music event log: %+v", e.log.events)
	}
	day := playedAt.Format(time.DateOnly)
	var stats showStatsJSON
	e.must(200, &stats, "GET", "/api/v1/podcasts/"+e.showID+"/stats?from="+day+"&to="+day, e.lbl, "")
	want := []showDayJSON{{Day: day, Plays: 1, Listeners: 1, ListenedMS: 30000}}
	if len(stats.Days) != 1 || stats.Days[0] != want[0] {
		t.Fatalf("stats %+v, want %+v", stats, want)
	}
	for _, bad := range []string{"?from=2026-13-01", "?from=2026-03-02&to=2026-03-01", "?from=2024-01-01&to=2026-01-01"} {
		if code, _, body := e.do("GET", "/api/v1/podcasts/"+e.showID+"/stats"+bad, e.lbl, ""); code != 400 {
			t.Errorf("stats%s = %d %s, want 400", bad, code, body)
		}
	}
	e.must(404, nil, "GET", "/api/v1/podcasts/show_nope/stats", e.lbl, "")
}
