package serving

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// playerRoutes is every Connect route with a request that would succeed
// for an authorised listener (or fail only on its input).
var playerRoutes = []struct{ method, path, body string }{
	{"POST", "/api/v1/me/connect/ticket", ""},
	{"GET", "/api/v1/me/connect", ""},
	{"GET", "/api/v1/me/player", ""},
	{"PUT", "/api/v1/me/player", `{"device_ids":["x"]}`},
	{"GET", "/api/v1/me/player/devices", ""},
	{"PUT", "/api/v1/me/player/play", ""},
	{"PUT", "/api/v1/me/player/pause", ""},
	{"POST", "/api/v1/me/player/next", ""},
	{"POST", "/api/v1/me/player/previous", ""},
	{"PUT", "/api/v1/me/player/seek?position_ms=1", ""},
	{"PUT", "/api/v1/me/player/shuffle?state=true", ""},
	{"PUT", "/api/v1/me/player/repeat?state=off", ""},
	{"POST", "/api/v1/me/player/queue?uri=track:x", ""},
	{"GET", "/api/v1/me/player/queue", ""},
}

func newPlayerEnv(t *testing.T) (*apiEnv, *connect.Service) {
	e := newAPIEnv(t)
	svc := connect.New(connect.NewMemory(), &connect.CatalogTracks{Catalog: e.st, Playlists: e.st, Now: func() time.Time { return catalogNow }})
	e.s.HandleConnect(e.st, svc)
	e.s.HandlePlayer(e.st, svc)
	return e, svc
}

func TestPlayerRoutesAuthorisation(t *testing.T) {
	e, _ := newPlayerEnv(t)
	for _, r := range playerRoutes {
		code, h, body := e.do(r.method, r.path, "", r.body)
		if code != 401 || !strings.Contains(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s without a token: %d %s", r.method, r.path, code, body)
		}
		if code, _, body := e.do(r.method, r.path, e.lbl, r.body); code != 403 {
			t.Errorf("%s %s as a label account: %d %s", r.method, r.path, code, body)
		}
		if code, _, body := e.do(r.method, r.path, "mt_forged", r.body); code != 401 {
			t.Errorf("%s %s with a bad token: %d %s", r.method, r.path, code, body)
		}
	}
	// A bad ticket is refused before any upgrade.
	for _, tk := range []string{"ct_nope", "x"} {
		if code, _, body := e.do("GET", "/api/v1/me/connect?ticket="+tk, "", ""); code != 401 {
			t.Errorf("ticket %s: %d %s", tk, code, body)
		}
	}
}

func TestPlayerRoutesRateLimited(t *testing.T) {
	e, _ := newPlayerEnv(t)
	e.s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2}))
	for _, r := range playerRoutes {
		var code int
		for range 3 {
			code, _, _ = e.do(r.method, r.path, e.alice, r.body)
		}
		if code != 429 {
			t.Errorf("%s %s: third request in a burst of 2 answered %d", r.method, r.path, code)
		}
		e.s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2})) // a fresh bucket for the next route
	}
}

// wsDevice is a real WebSocket device against an httptest server.
type wsDevice struct {
	t *testing.T
	c *websocket.Conn
}

func dialDevice(t *testing.T, url string, hdr http.Header, id string) (*wsDevice, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		return nil, resp, err
	}
	d := &wsDevice{t: t, c: c}
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	if id != "" {
		d.send(`{"type":"register","device":{"device_id":"` + id + `","name":"Test","type":"cli"}}`)
		if m := d.next(); m.Type != connect.MsgWelcome || m.DeviceID != id {
			t.Fatalf("welcome: %+v", m)
		}
	}
	return d, resp, nil
}

func (d *wsDevice) send(msg string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		d.t.Fatal(err)
	}
}

// next reads one message; a closed socket returns Type "closed" and the
// close code in Version.
func (d *wsDevice) next() connect.ServerMessage {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := d.c.Read(ctx)
	if err != nil {
		return connect.ServerMessage{Type: "closed", Version: int64(websocket.CloseStatus(err)), Message: err.Error()}
	}
	var m connect.ServerMessage
	if err := json.Unmarshal(b, &m); err != nil {
		d.t.Fatalf("bad message %s: %v", b, err)
	}
	return m
}

func (d *wsDevice) command(action string) connect.ServerMessage {
	d.t.Helper()
	for range 20 {
		m := d.next()
		if m.Type == "closed" {
			d.t.Fatalf("closed waiting for %s: %s", action, m.Message)
		}
		if m.Command != nil && m.Command.Action == action {
			return m
		}
	}
	d.t.Fatalf("no %s command in 20 messages", action)
	return connect.ServerMessage{}
}

func TestConnectWebSocketAndPlayer(t *testing.T) {
	e, _ := newPlayerEnv(t)
	srv := httptest.NewServer(e.s.Handler())
	defer srv.Close()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/me/connect"
	bearer := http.Header{"Authorization": {"Bearer " + e.alice}}

	phone, _, err := dialDevice(t, wsURL, bearer, "alice-phone")
	if err != nil {
		t.Fatal(err)
	}
	// The browser way: a ticket, good once.
	var tk struct {
		Ticket      string `json:"ticket"`
		ExpiresInMS int64  `json:"expires_in_ms"`
	}
	e.must(201, &tk, "POST", "/api/v1/me/connect/ticket", e.alice, "")
	if !strings.HasPrefix(tk.Ticket, "ct_") || tk.ExpiresInMS != 30000 {
		t.Fatalf("ticket: %+v", tk)
	}
	web, _, err := dialDevice(t, wsURL+"?ticket="+tk.Ticket, nil, "alice-web")
	if err != nil {
		t.Fatalf("dial with a ticket: %v", err)
	}
	if _, resp, err := dialDevice(t, wsURL+"?ticket="+tk.Ticket, nil, ""); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("a used ticket: %v %v", resp, err)
	}

	var devs struct{ Devices []connect.DeviceView }
	e.must(200, &devs, "GET", "/api/v1/me/player/devices", e.alice, "")
	if len(devs.Devices) != 2 || devs.Devices[0].ID != "alice-phone" || devs.Devices[1].ID != "alice-web" {
		t.Fatalf("devices: %+v", devs)
	}
	if code, _, _ := e.do("GET", "/api/v1/me/player", e.bob, ""); code != 204 {
		t.Errorf("bob has no player yet: %d", code)
	}

	h := e.must(204, nil, "PUT", "/api/v1/me/player/play?device_id=alice-phone", e.alice, `{"context_uri":"album:rel-1","offset":{"position":1}}`)
	if h.Get("Player-Version") == "" {
		t.Error("no Player-Version header")
	}
	play := phone.command(connect.ActionPlay)
	if play.Command.TrackID != "rel-1-d1t02" || play.State.Item.DurationMS != 183250 {
		t.Errorf("play command: %+v %+v", play.Command, play.State.Item)
	}
	var view connect.StateView
	e.must(200, &view, "GET", "/api/v1/me/player", e.alice, "")
	if !view.IsPlaying || view.Device.ID != "alice-phone" || view.Context.URI != "album:rel-1" || view.RepeatState != "off" {
		t.Errorf("player: %+v", view)
	}

	// Transfer to the web device: it plays, the phone pauses.
	e.must(204, nil, "PUT", "/api/v1/me/player", e.alice, `{"device_ids":["alice-web"]}`)
	if m := web.command(connect.ActionPlay); m.Command.TrackID != "rel-1-d1t02" || m.Command.SessionID == play.Command.SessionID {
		t.Errorf("web after transfer: %+v", m.Command)
	}
	phone.command(connect.ActionPause)

	for _, c := range []struct {
		method, path, body string
		code               int
	}{
		{"PUT", "/api/v1/me/player", `{"device_ids":["bob-phone"]}`, 404},
		{"PUT", "/api/v1/me/player", `{"device_ids":[]}`, 400},
		{"PUT", "/api/v1/me/player", `{"device_ids":["a","b"]}`, 400},
		{"PUT", "/api/v1/me/player", `{"device_ids":["alice-web"],"extra":1}`, 400},
		{"PUT", "/api/v1/me/player/seek?position_ms=183250", "", 422},
		{"PUT", "/api/v1/me/player/seek?position_ms=soon", "", 400},
		{"PUT", "/api/v1/me/player/shuffle?state=maybe", "", 400},
		{"PUT", "/api/v1/me/player/repeat?state=always", "", 400},
		{"POST", "/api/v1/me/player/queue", "", 400},
		{"POST", "/api/v1/me/player/queue?uri=track:nope", "", 404},
		{"PUT", "/api/v1/me/player/play", `{"uris":["track:rel-2-d1t01"]}`, 404}, // DE only
		{"PUT", "/api/v1/me/player/play", `{"context_uri":"artist:x"}`, 400},
		{"PUT", "/api/v1/me/player/play", `{"uris":` + strings.Repeat(" ", MaxBodyBytes) + `[]}`, 400},
		{"PUT", "/api/v1/me/player/pause?device_id=bob-phone", "", 404},
	} {
		if code, _, body := e.do(c.method, c.path, e.alice, c.body); code != c.code {
			t.Errorf("%s %s %.60s: %d %s, want %d", c.method, c.path, c.body, code, body, c.code)
		}
	}
	e.must(204, nil, "POST", "/api/v1/me/player/queue?uri=track:rel-1-d2t01", e.alice, "")
	var q struct {
		Current struct{ ID string } `json:"currently_playing"`
		Queue   []struct {
			ID        string `json:"id"`
			FromQueue bool   `json:"from_queue"`
		} `json:"queue"`
	}
	e.must(200, &q, "GET", "/api/v1/me/player/queue", e.alice, "")
	if q.Current.ID != "rel-1-d1t02" || len(q.Queue) != 3 || q.Queue[0].ID != "rel-1-d2t01" || !q.Queue[0].FromQueue || q.Queue[1].FromQueue {
		t.Errorf("queue: %+v", q)
	}
	e.must(204, nil, "POST", "/api/v1/me/player/next", e.alice, "")
	if m := web.command(connect.ActionPlay); m.Command.TrackID != "rel-1-d2t01" {
		t.Errorf("next: %+v", m.Command)
	}
	e.must(204, nil, "PUT", "/api/v1/me/player/shuffle?state=true", e.alice, "")
	e.must(204, nil, "PUT", "/api/v1/me/player/pause", e.alice, "")
	web.command(connect.ActionPause)
	e.must(204, nil, "PUT", "/api/v1/me/player/play", e.alice, "") // resume
	web.command(connect.ActionPlay)

	// An oversized message closes with 1009, a malformed one with 4400.
	web.send(`{"type":"heartbeat","pad":"` + strings.Repeat("x", connect.MaxMessageBytes) + `"}`)
	if code := web.closeCode(); code != int(websocket.StatusMessageTooBig) {
		t.Errorf("oversized message: closed with %d", code)
	}
	phone.send(`{"type":"heartbeat"`)
	if code := phone.closeCode(); code != connect.CloseBadMessage {
		t.Errorf("malformed message: closed with %d", code)
	}
}

// closeCode reads past pending events to the close and returns its code.
func (d *wsDevice) closeCode() int {
	for range 50 {
		if m := d.next(); m.Type == "closed" {
			return int(m.Version)
		}
	}
	d.t.Fatal("not closed after 50 messages")
	return 0
}
