// Package connectclient is a terminal Connect client on the public API:
// the player's REST face (Client) and a device that registers over the
// WebSocket channel and plays what it is told (Device). musicctl player
// wires it; the end-to-end tests drive it.
package connectclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openmusic/music/connect"
)

// Client calls one server's player routes with a bearer token.
type Client struct {
	Server string // http://host:port
	Token  string
	HTTP   *http.Client
}

// New returns a client with a 10 s request timeout.
func New(server, token string) *Client {
	return &Client{Server: strings.TrimRight(server, "/"), Token: token, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// APIError is an error answer of the server.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// do sends one request and decodes a JSON answer into out (if not nil).
func (c *Client) do(ctx context.Context, method, path string, body, out any) (http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Server+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error struct{ Code, Message string }
		}
		_ = json.Unmarshal(raw, &e)
		return nil, &APIError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return resp.Header, nil
}

// Devices lists the user's devices.
func (c *Client) Devices(ctx context.Context) ([]connect.DeviceView, error) {
	var out struct{ Devices []connect.DeviceView }
	_, err := c.do(ctx, "GET", "/api/v1/me/player/devices", nil, &out)
	return out.Devices, err
}

// Status returns the player state; nil when the user has none yet.
func (c *Client) Status(ctx context.Context) (*connect.StateView, error) {
	var v *connect.StateView
	_, err := c.do(ctx, "GET", "/api/v1/me/player", nil, &v)
	return v, err
}

// Queue returns GET /me/player/queue as decoded JSON.
func (c *Client) Queue(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	_, err := c.do(ctx, "GET", "/api/v1/me/player/queue", nil, &out)
	return out, err
}

// Command sends a state-changing request and returns the new version.
func (c *Client) command(ctx context.Context, method, path string, body any) (string, error) {
	h, err := c.do(ctx, method, path, body, nil)
	if err != nil {
		return "", err
	}
	return h.Get("Player-Version"), nil
}

// Transfer moves playback to a device.
func (c *Client) Transfer(ctx context.Context, deviceID string, play bool) (string, error) {
	return c.command(ctx, "PUT", "/api/v1/me/player", map[string]any{"device_ids": []string{deviceID}, "play": play})
}

// Play starts uri (album:ID, playlist:ID or track:ID) on deviceID ("" =
// the active device); an empty uri resumes.
func (c *Client) Play(ctx context.Context, uri, deviceID string) (string, error) {
	path := "/api/v1/me/player/play"
	if deviceID != "" {
		path += "?device_id=" + url.QueryEscape(deviceID)
	}
	var body any
	switch {
	case strings.HasPrefix(uri, "album:"), strings.HasPrefix(uri, "playlist:"):
		body = map[string]any{"context_uri": uri}
	case uri != "":
		body = map[string]any{"uris": []string{uri}}
	}
	return c.command(ctx, "PUT", path, body)
}

// Simple sends a command with only query parameters: pause, next,
// previous, seek, shuffle, repeat, queue.
func (c *Client) Simple(ctx context.Context, method, what string, query url.Values) (string, error) {
	path := "/api/v1/me/player/" + what
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return c.command(ctx, method, path, nil)
}

// Ticket gets a one-time WebSocket ticket.
func (c *Client) Ticket(ctx context.Context) (string, error) {
	var out struct{ Ticket string }
	_, err := c.do(ctx, "POST", "/api/v1/me/connect/ticket", nil, &out)
	return out.Ticket, err
}
