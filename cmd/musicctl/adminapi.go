package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// adminClient bounds every admin API call.
var adminClient = &http.Client{Timeout: 30 * time.Second}

// adminCall sends one API request to a running server with a bearer
// token and a JSON body (nil: none), and decodes the answer into out (nil:
// none, as for a 204), or the server's error body into a domain error.
func adminCall(ctx context.Context, method, url, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return music.Errorf(music.EINVALID, "--server: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "--server: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "%s %s: %v", method, url, err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(b, &e) != nil || e.Error.Code == "" {
			return music.Errorf(music.EUNAVAILABLE, "%s %s: HTTP %d", method, url, resp.StatusCode)
		}
		return music.Errorf(e.Error.Code, "%s %s: %s", method, url, e.Error.Message)
	}
	if err := json.Unmarshal(b, out); out != nil && err != nil { // out nil: a 204, nothing to read
		return music.Errorf(music.EUNAVAILABLE, "%s %s: bad answer: %v", method, url, err)
	}
	return nil
}
