package serving

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// takedownEnv is the offline env (signed audio, devices, renewal) with the
// podcast routes and signed audio on top.
func newTakedownEnv(t *testing.T) (*offlineEnv, *recordingPoller) {
	e := newOfflineEnv(t, 10)
	poller := &recordingPoller{}
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Listening: e.st, Plays: e.st, Poller: poller, Blobs: e.blobs})
	e.s.HandleAudio(e.blobs, AudioOptions{})
	return e, poller
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
	e, _ := newTakedownEnv(t)
	ctx := context.Background()
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
	var renewed struct{ Items []renewItemJSON }
	e.must(200, &renewed, "POST", "/api/v1/me/offline/licences/renew", e.alice, `{"device_id":"`+dev.DeviceID+`","licences":["`+licence+`"]}`)
	if r := renewed.Items[0]; r.Status != renewDelete || r.EpisodeID != e.ep || !strings.Contains(r.Reason, "was removed") {
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
}
