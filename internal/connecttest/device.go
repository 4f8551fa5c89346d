package connecttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// pipe is an in-memory connect.Socket: the service's end of a device
// connection, driven by a Device.
type pipe struct {
	toServer chan []byte
	toDevice chan []byte
	closed   chan struct{}
	once     sync.Once
	mu       sync.Mutex
	code     int
	reason   string
	goodbye  bool
}

func newPipe() *pipe {
	return &pipe{toServer: make(chan []byte, 64), toDevice: make(chan []byte, 256), closed: make(chan struct{})}
}

func (p *pipe) Read(ctx context.Context) ([]byte, error) {
	select {
	case b := <-p.toServer:
		return b, nil
	case <-p.closed:
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.goodbye {
			return nil, connect.ErrGoodbye
		}
		return nil, errors.New("closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pipe) Write(ctx context.Context, msg []byte) error {
	select {
	case p.toDevice <- msg:
		return nil
	case <-p.closed:
		return errors.New("closed")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *pipe) Close(code int, reason string) {
	p.once.Do(func() {
		p.mu.Lock()
		p.code, p.reason = code, reason
		p.mu.Unlock()
		close(p.closed)
	})
}

// Device is a test device connected to a service through a pipe.
type Device struct {
	t    *testing.T
	ID   string
	p    *pipe
	done chan struct{}
	// Welcome is the first message the server sent.
	Welcome connect.ServerMessage
}

// Connect runs svc.ServeDevice for u on a pipe, registers deviceID and
// waits for the welcome. A refused registration returns the device with
// its close code (see Closed) and no welcome.
func Connect(t *testing.T, svc *connect.Service, u *music.User, deviceID string) *Device {
	t.Helper()
	d := &Device{t: t, ID: deviceID, p: newPipe(), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		svc.ServeDevice(context.Background(), u, d.p)
	}()
	t.Cleanup(func() { d.Goodbye() })
	d.SendJSON(map[string]any{"type": "register", "device": map[string]string{"device_id": deviceID, "name": "Test " + deviceID, "type": "cli"}})
	select {
	case b := <-d.p.toDevice:
		if err := json.Unmarshal(b, &d.Welcome); err != nil || d.Welcome.Type != connect.MsgWelcome {
			t.Fatalf("device %s: first message %s, %v; want welcome", deviceID, b, err)
		}
	case <-d.p.closed:
	case <-time.After(5 * time.Second):
		t.Fatalf("device %s: no welcome in 5 s", deviceID)
	}
	return d
}

// Send sends a raw message.
func (d *Device) Send(b []byte) {
	select {
	case d.p.toServer <- b:
	case <-d.p.closed:
	case <-time.After(5 * time.Second):
		d.t.Fatalf("device %s: send blocked 5 s", d.ID)
	}
}

// SendJSON sends v as JSON.
func (d *Device) SendJSON(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		d.t.Fatal(err)
	}
	d.Send(b)
}

// Next returns the next server message, failing after 5 s.
func (d *Device) Next() connect.ServerMessage {
	d.t.Helper()
	select {
	case b := <-d.p.toDevice:
		var m connect.ServerMessage
		if err := json.Unmarshal(b, &m); err != nil {
			d.t.Fatalf("device %s: bad message %s: %v", d.ID, b, err)
		}
		return m
	case <-time.After(5 * time.Second):
		d.t.Fatalf("device %s: no message in 5 s (closed: %d)", d.ID, d.CloseCode())
	}
	return connect.ServerMessage{}
}

// Until reads messages until one satisfies ok, failing after 5 s.
func (d *Device) Until(what string, ok func(m connect.ServerMessage) bool) connect.ServerMessage {
	d.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-d.p.toDevice:
			var m connect.ServerMessage
			if err := json.Unmarshal(b, &m); err != nil {
				d.t.Fatalf("device %s: bad message %s: %v", d.ID, b, err)
			}
			if ok(m) {
				return m
			}
		case <-deadline:
			d.t.Fatalf("device %s: no %s in 5 s", d.ID, what)
		}
	}
}

// Command waits for an event carrying a command with this action.
func (d *Device) Command(action string) connect.ServerMessage {
	d.t.Helper()
	return d.Until(action+" command", func(m connect.ServerMessage) bool {
		return m.Type == connect.MsgEvent && m.Command != nil && m.Command.Action == action
	})
}

// Version waits for the event of version v (or a later one).
func (d *Device) Version(v int64) connect.ServerMessage {
	d.t.Helper()
	return d.Until(fmt.Sprint("event version ", v), func(m connect.ServerMessage) bool {
		return m.Type == connect.MsgEvent && m.Version >= v
	})
}

// Quiet fails if a message with a command arrives within wait.
func (d *Device) Quiet(wait time.Duration) {
	d.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case b := <-d.p.toDevice:
			var m connect.ServerMessage
			_ = json.Unmarshal(b, &m)
			if m.Command != nil {
				d.t.Errorf("device %s: unexpected command %+v", d.ID, *m.Command)
			}
		case <-deadline:
			return
		}
	}
}

// WaitClosed waits for the server to close the connection and returns
// the close code.
func (d *Device) WaitClosed() int {
	d.t.Helper()
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
		d.t.Fatalf("device %s: still open after 5 s", d.ID)
	}
	return d.CloseCode()
}

// CloseCode is the code the server closed with, 0 while open.
func (d *Device) CloseCode() int {
	d.p.mu.Lock()
	defer d.p.mu.Unlock()
	return d.p.code
}

// CloseReason is the reason the server gave.
func (d *Device) CloseReason() string {
	d.p.mu.Lock()
	defer d.p.mu.Unlock()
	return d.p.reason
}

// Goodbye closes the connection normally (1000) and waits for the
// service to finish with it.
func (d *Device) Goodbye() {
	d.p.mu.Lock()
	d.p.goodbye = true
	d.p.mu.Unlock()
	d.p.Close(connect.CloseNormal, "bye")
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
		d.t.Errorf("device %s: service still serving 5 s after goodbye", d.ID)
	}
}

// Drop cuts the connection without a goodbye (a network failure).
func (d *Device) Drop() {
	d.p.Close(1006, "dropped")
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
		d.t.Errorf("device %s: service still serving 5 s after the drop", d.ID)
	}
}
