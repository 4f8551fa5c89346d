package serving

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/friends"
	"github.com/openmusic/music/plays"
)

// friendsEnv is a socialEnv with friend activity in memory; alice
// follows bob.
type friendsEnv struct {
	*socialEnv
	feed *friends.Feed
}

func newFriendsEnv(t *testing.T) *friendsEnv {
	t.Helper()
	e := &friendsEnv{socialEnv: &socialEnv{apiEnv: newAPIEnv(t)}}
	soc := e.social()
	e.feed = soc.Friends
	e.s.HandleSocial(soc)
	e.must(204, nil, "PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["`+e.bobID+`"]}`)
	return e
}

// play feeds one play of userID as the log would.
func (e *friendsEnv) play(userID, trackID string, ago time.Duration) {
	e.t.Helper()
	err := e.feed.Apply(context.Background(), plays.Event{UserID: userID, TrackID: trackID, PlayedAt: catalogNow.Add(-ago).UnixMilli()})
	if err != nil {
		e.t.Fatal(err)
	}
}

// activity reads token's friend activity.
func (e *friendsEnv) activity(token string) []friendJSON {
	e.t.Helper()
	var out friendsJSON
	e.must(200, &out, "GET", "/api/v1/me/friends/activity", token, "")
	return out.Friends
}

// TestFriendActivity: alice sees what bob plays, until bob hides it with
// a private session, turns sharing off, or blocks her.
func TestFriendActivity(t *testing.T) {
	e := newFriendsEnv(t)
	if got := e.activity(e.alice); len(got) != 0 {
		t.Fatalf("before any play: %+v", got)
	}
	e.play(e.bobID, "rel-1-d1t02", 10*time.Minute)
	e.play(e.bobID, "rel-1-d1t01", 10*time.Second)
	got := e.activity(e.alice)
	if len(got) != 1 || got[0].User.ID != e.bobID || got[0].User.DisplayName != "bob" || got[0].Track == nil ||
		got[0].Track.ID != "rel-1-d1t01" || !got[0].Playing || !got[0].PlayedAt.Equal(catalogNow.Add(-10*time.Second).Truncate(time.Millisecond)) {
		t.Fatalf("alice sees %+v, want bob playing rel-1-d1t01 now", got)
	}
	// Nobody else follows bob, so nobody else sees him.
	if got := e.activity(e.bob); len(got) != 0 {
		t.Errorf("bob sees %+v", got)
	}
	for _, hide := range []string{`{"private_session":true}`, `{"share_activity":false}`} {
		e.must(200, nil, "PUT", "/api/v1/me/settings", e.bob, hide)
		if got := e.activity(e.alice); len(got) != 0 {
			t.Errorf("after bob's %s alice sees %+v", hide, got)
		}
		e.play(e.bobID, "rel-1-d1t01", 5*time.Second) // dropped
		if got := e.activity(e.alice); len(got) != 0 {
			t.Errorf("a play with %s shows: %+v", hide, got)
		}
		e.must(200, nil, "PUT", "/api/v1/me/settings", e.bob, `{"private_session":false,"share_activity":true}`)
	}
	e.play(e.bobID, "rel-1-d1t01", time.Second)
	if got := e.activity(e.alice); len(got) != 1 {
		t.Errorf("after bob shares again alice sees %+v", got)
	}
	// A track not licensed where alice is shows without its details.
	e.play(e.bobID, "rel-2-d1t01", 0)
	if got := e.activity(e.alice); len(got) != 1 || got[0].Track != nil || got[0].TrackID != "rel-2-d1t01" {
		t.Errorf("a DE-only track shows to a GB viewer as %+v", got)
	}
	e.must(204, nil, "PUT", "/api/v1/me/blocks", e.bob, `{"ids":["`+e.aliceID+`"]}`)
	if got := e.activity(e.alice); len(got) != 0 {
		t.Errorf("after bob blocked alice she sees %+v", got)
	}
}

// sseReader reads Server-Sent Events from a live response.
type sseReader struct {
	t  *testing.T
	sc *bufio.Scanner
}

// next returns the next event's name and data, failing after 5 s.
func (r *sseReader) next() (string, string) {
	r.t.Helper()
	type ev struct{ name, data string }
	got := make(chan ev, 1)
	go func() {
		var e ev
		for r.sc.Scan() {
			line := r.sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			case line == "" && e.name != "":
				got <- e
				return
			}
		}
		close(got)
	}()
	select {
	case e, ok := <-got:
		if !ok {
			r.t.Fatal("stream ended")
		}
		return e.name, e.data
	case <-time.After(5 * time.Second):
		r.t.Fatal("no event in 5 s")
		return "", ""
	}
}

// TestFriendActivityLive: alice's live stream gets a snapshot, then
// bob's play, then a hide when bob starts a private session.
func TestFriendActivityLive(t *testing.T) {
	e := newFriendsEnv(t)
	e.play(e.bobID, "rel-1-d1t02", time.Minute)
	srv := httptest.NewServer(e.s.Handler())
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me/friends/activity/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.alice)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	r := &sseReader{t: t, sc: bufio.NewScanner(res.Body)}
	name, data := r.next()
	var snap friendsJSON
	if err := json.Unmarshal([]byte(data), &snap); name != "snapshot" || err != nil || len(snap.Friends) != 1 {
		t.Fatalf("first event %s %s, want a snapshot with bob", name, data)
	}
	e.play(e.bobID, "rel-1-d1t01", 0)
	name, data = r.next()
	var f friendJSON
	if err := json.Unmarshal([]byte(data), &f); name != "play" || err != nil || f.User.ID != e.bobID || f.TrackID != "rel-1-d1t01" {
		t.Fatalf("after bob's play: %s %s", name, data)
	}
	e.must(200, nil, "PUT", "/api/v1/me/settings", e.bob, `{"private_session":true}`)
	if name, data = r.next(); name != "hide" || !strings.Contains(data, e.bobID) {
		t.Fatalf("after bob's private session: %s %s, want hide", name, data)
	}
	// A block resynchronises the blocked viewer's stream at once.
	e.must(200, nil, "PUT", "/api/v1/me/settings", e.bob, `{"private_session":false}`)
	e.play(e.bobID, "rel-1-d1t01", 0)
	if name, _ = r.next(); name != "play" {
		t.Fatalf("after bob shares again: %s", name)
	}
	e.must(204, nil, "PUT", "/api/v1/me/blocks", e.bob, `{"ids":["`+e.aliceID+`"]}`)
	name, data = r.next()
	if err := json.Unmarshal([]byte(data), &snap); name != "snapshot" || err != nil || len(snap.Friends) != 0 {
		t.Fatalf("after bob blocked alice: %s %s, want an empty snapshot", name, data)
	}
	e.play(e.bobID, "rel-1-d1t02", 0)
	if n := e.feed.Hub.Publish(friends.Event{Kind: friends.EventPlay, Activity: music.Activity{UserID: e.bobID}}); n != 0 {
		t.Errorf("bob's plays still reach %d streams after the block", n)
	}
}

// TestFriendActivityThroughLog: a play reported over HTTP reaches the
// friend's list through the event log within 2 s.
func TestFriendActivityThroughLog(t *testing.T) {
	e := newFriendsEnv(t)
	// The report path checks times against account creation: real time.
	e.s.Now = time.Now
	e.feed.Store.(*friends.Memory).Now = time.Now
	_, log := embeddedLog(t)
	e.s.HandlePlayback(e.st, e.st, log)
	stop, err := log.Tail(context.Background(), e.feed.Apply, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	body := report()
	if rec := postReport(e.s, "Bearer "+e.bob, body); rec.Code != 202 {
		t.Fatalf("report: %d %s", rec.Code, rec.Body)
	}
	reported := time.Now()
	for time.Since(reported) < 2*time.Second {
		if got := e.activity(e.alice); len(got) == 1 && got[0].TrackID == "rel-1-d1t01" {
			t.Logf("visible %v after the report", time.Since(reported))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("bob's play not in alice's friend activity 2 s after the report")
}

// TestFriendActivityOnConnect: a listener's Connect device gets friend
// activity on its WebSocket: the snapshot after the welcome, then bob's
// play, then a hide when bob starts a private session.
func TestFriendActivityOnConnect(t *testing.T) {
	e := newFriendsEnv(t)
	svc := connect.New(connect.NewMemory(), &connect.CatalogTracks{Catalog: e.st, Playlists: e.st, Now: func() time.Time { return catalogNow }})
	e.s.HandleConnect(e.st, svc)
	e.play(e.bobID, "rel-1-d1t02", time.Minute)
	srv := httptest.NewServer(e.s.Handler())
	t.Cleanup(srv.Close)
	d, _, err := dialDevice(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/me/connect",
		http.Header{"Authorization": {"Bearer " + e.alice}}, "alice-phone")
	if err != nil {
		t.Fatal(err)
	}
	// next friend message, skipping the player's own events.
	next := func() map[string]json.RawMessage {
		t.Helper()
		for range 10 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, b, err := d.c.Read(ctx)
			cancel()
			if err != nil {
				t.Fatalf("reading the device channel: %v", err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if typ := string(m["type"]); strings.HasPrefix(typ, `"friend`) {
				return m
			}
		}
		t.Fatal("no friend message in 10")
		return nil
	}
	m := next()
	var snap friendsJSON
	if err := json.Unmarshal(m["friends"], &snap); string(m["type"]) != `"friends"` || err != nil || len(snap.Friends) != 1 {
		t.Fatalf("first friend message %v, want the snapshot with bob", m)
	}
	e.play(e.bobID, "rel-1-d1t01", 0)
	m = next()
	var f friendJSON
	if err := json.Unmarshal(m["friend"], &f); string(m["type"]) != `"friend_play"` || err != nil || f.TrackID != "rel-1-d1t01" {
		t.Fatalf("after bob's play: %v", m)
	}
	e.must(200, nil, "PUT", "/api/v1/me/settings", e.bob, `{"private_session":true}`)
	if m = next(); string(m["type"]) != `"friend_hide"` || !strings.Contains(string(m["friend"]), e.bobID) {
		t.Fatalf("after bob's private session: %v", m)
	}
}
