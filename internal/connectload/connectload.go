// Package connectload drives many bare Connect devices against running
// serve processes, for the latency and scale benchmarks: each device is
// one WebSocket that registers, heartbeats and notes when each state
// version reaches it.
package connectload

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Device is one connected test device.
type Device struct {
	ID     string
	c      *websocket.Conn
	mu     sync.Mutex
	seen   map[int64]time.Time // state version → when it arrived
	waitV  int64
	waitCh chan struct{}
}

// Dial connects a device to server (http://host:port) as token's user and
// waits for the welcome.
func Dial(ctx context.Context, server, token, deviceID string) (*Device, error) {
	url := "ws" + strings.TrimPrefix(server, "http") + "/api/v1/me/connect"
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", deviceID, err)
	}
	reg := fmt.Sprintf(`{"type":"register","device":{"device_id":%q,"name":"load","type":"cli"}}`, deviceID)
	if err := c.Write(dctx, websocket.MessageText, []byte(reg)); err != nil {
		c.CloseNow()
		return nil, err
	}
	if _, _, err := c.Read(dctx); err != nil { // the welcome
		c.CloseNow()
		return nil, fmt.Errorf("welcome %s: %w", deviceID, err)
	}
	d := &Device{ID: deviceID, c: c, seen: map[int64]time.Time{}}
	go d.read(ctx)
	return d, nil
}

func (d *Device) read(ctx context.Context) {
	for {
		_, b, err := d.c.Read(ctx)
		if err != nil {
			return
		}
		now := time.Now()
		var m struct {
			Type    string `json:"type"`
			Version int64  `json:"version"`
		}
		if json.Unmarshal(b, &m) != nil || m.Type != "event" {
			continue
		}
		d.mu.Lock()
		if len(d.seen) > 10000 {
			clear(d.seen)
		}
		d.seen[m.Version] = now
		if d.waitCh != nil && m.Version >= d.waitV {
			close(d.waitCh)
			d.waitCh = nil
		}
		d.mu.Unlock()
	}
}

// WaitVersion returns when the event of version v (or later) arrived,
// or an error after within.
func (d *Device) WaitVersion(v int64, within time.Duration) (time.Time, error) {
	d.mu.Lock()
	for ver, at := range d.seen {
		if ver >= v {
			d.mu.Unlock()
			return at, nil
		}
	}
	ch := make(chan struct{})
	d.waitV, d.waitCh = v, ch
	d.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(within):
		return time.Time{}, fmt.Errorf("device %s: version %d not seen in %v", d.ID, v, within)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for ver, at := range d.seen {
		if ver >= v {
			return at, nil
		}
	}
	return time.Time{}, fmt.Errorf("device %s: version %d lost", d.ID, v)
}

// Heartbeat sends one heartbeat.
func (d *Device) Heartbeat(ctx context.Context) error {
	return d.c.Write(ctx, websocket.MessageText, []byte(`{"type":"heartbeat"}`))
}

// Close says goodbye.
func (d *Device) Close() { d.c.Close(websocket.StatusNormalClosure, "") }

// Percentile returns the p-th percentile (0–100) of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return sorted[i]
}
