package connectclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/openmusic/music/connect"
)

// Device is a Connect device: it keeps a WebSocket to one of Servers
// (moving to the next when one fails), follows the commands it gets and
// plays the tracks through serving/client into Out as WAV, at real-time
// pace. Every happening is one JSON line on Log.
type Device struct {
	Servers []string // http://host:port, tried in turn
	Token   string
	ID      string
	Name    string
	Out     io.Writer // WAV; nil discards the audio
	Log     io.Writer
	HTTP    *http.Client
	// PlayOnStart is a track the device starts by itself once connected,
	// as if its user pressed play on it (the server hears "playing").
	PlayOnStart string

	mu      sync.Mutex
	logMu   sync.Mutex
	conn    *websocket.Conn
	server  string
	version int64
	play    *playback // what plays now, nil when stopped
	sink    *wavSink
}

// stopCodes are the close codes after which reconnecting cannot help.
var stopCodes = map[websocket.StatusCode]bool{
	connect.CloseBadMessage: true, connect.CloseForbidden: true, connect.CloseReplaced: true, websocket.StatusMessageTooBig: true,
}

// Run keeps the device connected until ctx ends or the server refuses it
// for good; the error says why it stopped.
func (d *Device) Run(ctx context.Context) error {
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if d.Out != nil {
		d.sink = &wavSink{w: d.Out}
	}
	defer d.stop("shutdown")
	backoff := 250 * time.Millisecond
	for i := 0; ; i++ {
		server := d.Servers[i%len(d.Servers)]
		err := d.session(ctx, server)
		if ctx.Err() != nil {
			return nil
		}
		code := websocket.CloseStatus(err)
		d.logf(map[string]any{"event": "disconnected", "server": server, "code": int(code), "error": errString(err)})
		if stopCodes[code] {
			return fmt.Errorf("device %s: server closed the channel with %d: %v", d.ID, code, err)
		}
		if err == errConnected { // it worked for a while: start the backoff over
			backoff = 250 * time.Millisecond
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

var errConnected = errors.New("connection lost after the welcome")

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// session is one connection to server, from dial to its end.
func (d *Device) session(ctx context.Context, server string) error {
	wsURL := "ws" + strings.TrimPrefix(server, "http") + "/api/v1/me/connect"
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	c, _, err := websocket.Dial(dctx, wsURL, &websocket.DialOptions{HTTPClient: &http.Client{Timeout: 5 * time.Second},
		HTTPHeader: http.Header{"Authorization": {"Bearer " + d.Token}}})
	cancel()
	if err != nil {
		return err
	}
	defer c.CloseNow()
	reg, _ := json.Marshal(map[string]any{"type": connect.MsgRegister, "device": map[string]string{"device_id": d.ID, "name": d.Name, "type": "cli"}})
	if err := c.Write(ctx, websocket.MessageText, reg); err != nil {
		return err
	}
	var welcome connect.ServerMessage
	if err := readJSON(ctx, c, &welcome); err != nil {
		return err
	}
	d.mu.Lock()
	d.conn, d.server = c, server
	d.mu.Unlock()
	d.logf(map[string]any{"event": "welcome", "server": server, "version": welcome.State.Version})
	d.follow(ctx, welcome.State, nil)
	if d.PlayOnStart != "" {
		track := d.PlayOnStart
		d.PlayOnStart = ""
		d.start(ctx, track, 0, "")
		d.send(ctx, map[string]any{"type": connect.MsgPlaying, "track_id": track, "position_ms": 0})
	}

	hbCtx, stopHB := context.WithCancel(ctx)
	defer stopHB()
	go d.heartbeat(hbCtx, c, time.Duration(welcome.HeartbeatMS)*time.Millisecond)
	for {
		var m connect.ServerMessage
		if err := readJSON(ctx, c, &m); err != nil {
			if websocket.CloseStatus(err) == -1 {
				err = fmt.Errorf("%w: %v", errConnected, err)
			}
			return err
		}
		switch m.Type {
		case connect.MsgEvent:
			d.follow(ctx, m.State, m.Command)
		case connect.MsgError:
			d.logf(map[string]any{"event": "error", "code": m.Code, "message": m.Message})
		}
	}
}

func readJSON(ctx context.Context, c *websocket.Conn, v any) error {
	_, b, err := c.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func (d *Device) heartbeat(ctx context.Context, c *websocket.Conn, every time.Duration) {
	if every <= 0 {
		every = 20 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if c.Write(ctx, websocket.MessageText, []byte(`{"type":"heartbeat"}`)) != nil {
				return
			}
		}
	}
}

// send writes one message on the current connection, if any.
func (d *Device) send(ctx context.Context, v any) {
	b, _ := json.Marshal(v)
	d.mu.Lock()
	c := d.conn
	d.mu.Unlock()
	if c != nil {
		_ = c.Write(ctx, websocket.MessageText, b) // a lost connection reconnects and resyncs from the state
	}
}

// follow applies one state (and the command for this device, if any).
// The state is the truth: after a reconnect, or if a command was lost,
// the device plays exactly when the state says it is the active device
// and playing.
func (d *Device) follow(ctx context.Context, st *connect.StateView, cmd *connect.PlayerCommand) {
	if st == nil {
		return
	}
	d.mu.Lock()
	if st.Version < d.version {
		d.mu.Unlock()
		return
	}
	d.version = st.Version
	cur := d.play
	if cur != nil && st.Device != nil && st.Device.ID == d.ID && st.Item != nil && st.Item.ID == cur.trackID {
		cur.sessionID = st.SessionID // a play the device started: the server names its session
	}
	d.mu.Unlock()
	entry := map[string]any{"event": "state", "version": st.Version, "is_playing": st.IsPlaying, "queue_length": st.QueueLength,
		"shuffle": st.ShuffleState, "server": d.currentServer()}
	if st.Device != nil {
		entry["active_device"] = st.Device.ID
	}
	if st.Item != nil {
		entry["track_id"] = st.Item.ID
	}
	if cmd != nil {
		entry["event"] = "command"
		entry["action"], entry["position_ms"], entry["session_id"] = cmd.Action, cmd.PositionMS, cmd.SessionID
		if cmd.TrackID != "" {
			entry["track_id"] = cmd.TrackID
		}
	}
	d.logf(entry)
	active := st.Device != nil && st.Device.ID == d.ID && st.IsPlaying && st.Item != nil
	switch {
	case cmd != nil && cmd.Action == "play":
		d.start(ctx, cmd.TrackID, cmd.PositionMS, cmd.SessionID)
	case cmd != nil && cmd.Action == "seek" && cur != nil:
		d.start(ctx, cur.trackID, cmd.PositionMS, cur.sessionID)
	case cmd != nil && cmd.Action == "pause", !active && cur != nil:
		d.stop("paused")
	case active && (cur == nil || cur.trackID != st.Item.ID):
		d.start(ctx, st.Item.ID, st.ProgressMS, st.SessionID)
	}
}

func (d *Device) currentServer() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.server
}

func (d *Device) logf(v map[string]any) {
	if d.Log == nil {
		return
	}
	v["device"] = d.ID
	v["at_ms"] = time.Now().UnixMilli()
	b, _ := json.Marshal(v)
	d.logMu.Lock()
	defer d.logMu.Unlock()
	fmt.Fprintf(d.Log, "%s\n", b)
}

// Finish completes the WAV header when Out can seek.
func (d *Device) Finish() error {
	if d.sink == nil {
		return nil
	}
	return d.sink.Finish()
}
