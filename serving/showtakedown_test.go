package serving

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/search"
)

// takedownEnv is the offline env (signed audio, devices, renewal) with the
// podcast routes, signed audio and a search index holding the show on top.
type takedownEnv struct {
	*offlineEnv
	poller *recordingPoller
	idx    *bleve.Index
}

func newTakedownEnv(t *testing.T) (*offlineEnv, *recordingPoller) {
	e := newTakedownIndexEnv(t)
	return e.offlineEnv, e.poller
}

func newTakedownIndexEnv(t *testing.T) *takedownEnv {
	e := &takedownEnv{offlineEnv: newOfflineEnv(t, 10), poller: &recordingPoller{}}
	var err error
	if e.idx, err = bleve.Open(t.TempDir(), bleve.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.idx.Close() })
	if err := search.IndexShow(context.Background(), e.st, e.idx, e.showID); err != nil {
		t.Fatal(err)
	}
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Listening: e.st, Plays: e.st, Poller: e.poller, Blobs: e.blobs, Search: e.idx})
	e.s.HandleAudio(e.blobs, AudioOptions{})
	return e
}

// indexed lists which of the show and its episode the index itself
// holds; the episode's document carries its show's title, so one query
// finds both.
func (e *takedownEnv) indexed() []string {
	return searchtest.PodcastIDs(e.t, e.idx, "the show")
}

// TestShowTakedownAuthz: only ops take a show down or restore it; shows
// record no owner, so not even the label that registered it.
func TestShowTakedownAuthz(t *testing.T) {
	e, poller := newTakedownEnv(t)
	for _, path := range []string{"/api/v1/podcasts/" + e.showID, "/api/v1/podcasts/" + e.showID + "/restore"} {
		method := map[bool]string{true: "DELETE", false: "POST"}[!strings.HasSuffix(path, "/restore")]
		for _, c := range []struct {
			who, token string
			want       int
		}{{"anonymous", "", 401}, {"bad token", "not-a-token", 401}, {"listener", e.alice, 403}, {"label", e.lbl, 403}} {
			if code, _, body := e.do(method, path, c.token, ""); code != c.want {
				t.Errorf("%s %s as %s: %d %s, want %d", method, path, c.who, code, body, c.want)
			}
		}
	}
	if len(poller.stopped)+len(poller.resumed) != 0 {
		t.Fatalf("refused requests stopped %v, resumed %v", poller.stopped, poller.resumed)
	}
	for _, path := range []string{"/api/v1/podcasts/show_nope", "/api/v1/podcasts/show_nope/restore"} {
		method := map[bool]string{true: "DELETE", false: "POST"}[!strings.HasSuffix(path, "/restore")]
		if code, _, body := e.do(method, path, e.ops, ""); code != 404 || !strings.Contains(string(body), "show_nope") {
			t.Errorf("ops %s %s: %d %s, want 404 naming the show", method, path, code, body)
		}
	}
	for i := 0; i < 2; i++ { // idempotent
		if code, _, body := e.do("DELETE", "/api/v1/podcasts/"+e.showID, e.ops, ""); code != 204 {
			t.Fatalf("ops DELETE #%d: %d %s, want 204", i+1, code, body)
		}
	}
	if !slices.Equal(poller.stopped, []string{e.showID, e.showID}) {
		t.Fatalf("stopped %v, want the show's polling stopped by each DELETE", poller.stopped)
	}
	if code, _, body := e.do("POST", "/api/v1/podcasts/"+e.showID+"/restore", e.ops, ""); code != 204 || !slices.Equal(poller.resumed, []string{e.showID}) {
		t.Fatalf("ops restore: %d %s, resumed %v", code, body, poller.resumed)
	}
}

// TestShowTakedownHidesEverywhere: once ops take a show down, listeners
// see 404 for it and its episodes, search and follows leave it out, its
// signed stream URLs stop, offline renewal tells devices to delete its
// episodes (through the real store), and registering its feed again is
// refused. Restoring brings it all back: nothing was deleted.
func TestShowTakedownHidesEverywhere(t *testing.T) {
	e := newTakedownIndexEnv(t)
	ctx := context.Background()
	both := []string{e.ep, e.showID}
	slices.Sort(both)
	if got := e.indexed(); !slices.Equal(got, both) {
		t.Fatalf("index before the takedown holds %v, want %v", got, both)
	}
	e.must(204, nil, "PUT", "/api/v1/me/podcasts/"+e.showID, e.alice, "")
	var ep EpisodeJSON
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	stream := ep.StreamURLs["24"]
	if code, _, body := e.do("GET", stream, "", ""); code != 200 {
		t.Fatalf("stream before the takedown: %d %.100s", code, body)
	}
	_, dev := e.enrol(e.alice)
	licence := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"]}`).Items[0].Licence
	add := `{"feed_url":"https://feeds.example.org/show.xml"}`

	e.must(204, nil, "DELETE", "/api/v1/podcasts/"+e.showID, e.ops, "")
	for _, path := range []string{"/api/v1/podcasts/" + e.showID, "/api/v1/podcasts/" + e.showID + "/episodes",
		"/api/v1/episodes/" + e.ep, "/api/v1/episodes/" + e.ep + "/chapters"} {
		if code, _, body := e.do("GET", path, e.alice, ""); code != 404 {
			t.Errorf("GET %s after the takedown: %d %s, want 404", path, code, body)
		}
	}
	// Audio answers are cached for cacheTTL; after it the takedown shows.
	e.s.Now = func() time.Time { return catalogNow.Add(cacheTTL + time.Second) }
	if code, _, body := e.do("GET", stream, "", ""); code != 404 {
		t.Errorf("stream URL signed before the takedown: %d %.100s, want 404", code, body)
	}
	var follows pageJSON[json.RawMessage]
	if e.must(200, &follows, "GET", "/api/v1/me/podcasts", e.alice, ""); follows.Total != 0 || len(follows.Items) != 0 {
		t.Errorf("follows after the takedown: %+v, want none", follows)
	}
	for _, k := range []struct {
		t  music.DocType
		id string
	}{{music.DocPodcast, e.showID}, {music.DocEpisode, e.ep}} {
		if vis, err := e.st.VisibleIDs(ctx, k.t, []string{k.id}, music.Visibility{}); err != nil || vis[k.id] {
			t.Errorf("search still shows %s %s (%v, %v)", k.t, k.id, vis, err)
		}
	}
	if got := e.indexed(); len(got) != 0 {
		t.Errorf("index after the takedown still holds %v, want neither show nor episode", got)
	}
	var renewed struct{ Items []renewItemJSON }
	e.must(200, &renewed, "POST", "/api/v1/me/offline/licences/renew", e.alice, `{"device_id":"`+dev.DeviceID+`","licences":["`+licence+`"]}`)
	if r := renewed.Items[0]; r.Status != renewDelete || r.EpisodeID != e.ep || !strings.Contains(r.Reason, "was removed by ops") {
		t.Errorf("renewal of an episode of a show taken down: %+v, want delete", r)
	}
	if code, _, body := e.do("POST", "/api/v1/podcasts", e.ops, add); code != 409 || !strings.Contains(string(body), "feed_url") {
		t.Errorf("registering the feed again: %d %s, want 409 naming feed_url", code, body)
	}
	if ep, err := e.st.Episode(ctx, e.ep); err != nil || ep.Audio == nil {
		t.Fatalf("the episode was not kept: %+v, %v", ep, err)
	}

	e.must(204, nil, "POST", "/api/v1/podcasts/"+e.showID+"/restore", e.ops, "")
	e.s.Now = func() time.Time { return catalogNow.Add(2 * (cacheTTL + time.Second)) }
	e.must(200, nil, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	if code, _, body := e.do("GET", stream, "", ""); code != 200 {
		t.Errorf("stream after the restore: %d %.100s", code, body)
	}
	if e.must(200, &follows, "GET", "/api/v1/me/podcasts", e.alice, ""); follows.Total != 1 {
		t.Errorf("follows after the restore: %+v, want the show back", follows)
	}
	if got := e.indexed(); !slices.Equal(got, both) {
		t.Errorf("index after the restore holds %v, want %v", got, both)
	}
}

// TestShowLockedByOwnerHidesEverywhere: a show whose feed turned
// podcast:locked is taken down by its poll (workflows
// TestPodcastFeedLockedTakesShowDown) with the reason "locked by its
// owner". Through the routes and the real store, it then answers as a
// takedown does, and says why: the show and its episode 404 naming the
// lock, the stream URL stops, renewal tells the device to delete the
// episode with that reason, and registering the feed again is 409.
func TestShowLockedByOwnerHidesEverywhere(t *testing.T) {
	e, _ := newTakedownEnv(t)
	ctx := context.Background()
	var ep EpisodeJSON
	e.must(200, &ep, "GET", "/api/v1/episodes/"+e.ep, e.alice, "")
	_, dev := e.enrol(e.alice)
	licence := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"]}`).Items[0].Licence

	if err := e.st.TakeDownShow(ctx, e.showID, music.ShowLockedByOwner); err != nil {
		t.Fatal(err)
	}
	if code, _, body := e.do("GET", "/api/v1/podcasts/"+e.showID, e.alice, ""); code != 404 || !strings.Contains(string(body), "locked by its owner") {
		t.Errorf("GET the locked show: %d %s, want 404 saying it was locked by its owner", code, body)
	}
	if code, _, body := e.do("GET", "/api/v1/episodes/"+e.ep, e.alice, ""); code != 404 {
		t.Errorf("GET an episode of the locked show: %d %s, want 404", code, body)
	}
	e.s.Now = func() time.Time { return catalogNow.Add(cacheTTL + time.Second) }
	if code, _, body := e.do("GET", ep.StreamURLs["96"], "", ""); code != 404 {
		t.Errorf("stream URL signed before the lock: %d %.100s, want 404", code, body)
	}
	var renewed struct{ Items []renewItemJSON }
	e.must(200, &renewed, "POST", "/api/v1/me/offline/licences/renew", e.alice, `{"device_id":"`+dev.DeviceID+`","licences":["`+licence+`"]}`)
	if r := renewed.Items[0]; r.Status != renewDelete || r.EpisodeID != e.ep || !strings.Contains(r.Reason, "was locked by its owner") {
		t.Errorf("renewal of an episode of a locked show: %+v, want delete saying the show was locked by its owner", r)
	}
	if code, _, body := e.do("POST", "/api/v1/me/offline/downloads", e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"]}`); code != 422 || !strings.Contains(string(body), "locked by its owner") {
		t.Errorf("download of an episode of a locked show: %d %s, want 422 naming the lock", code, body)
	}
	if code, _, body := e.do("POST", "/api/v1/podcasts", e.ops, `{"feed_url":"https://feeds.example.org/show.xml"}`); code != 409 || !strings.Contains(string(body), "locked by its owner") {
		t.Errorf("registering the locked feed again: %d %s, want 409 naming the lock", code, body)
	}
}
