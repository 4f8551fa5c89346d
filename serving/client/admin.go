package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// ReindexPath is the admin API route a running server rebuilds its
// search index on: POST starts a rebuild, GET reports it.
const ReindexPath = "/api/v1/admin/reindex"

// adminTimeout bounds each admin request; the rebuild itself runs in the
// background on the server and is followed by polling.
const adminTimeout = 30 * time.Second

// Admin calls a running server's admin API with an ops account's token.
type Admin struct {
	Base  string // e.g. http://127.0.0.1:8080
	Token string
	HTTP  *http.Client // nil: a client with a 30 s timeout
}

// StartReindex asks the server to rebuild its index. A rebuild already
// running is an ECONFLICT error.
func (a *Admin) StartReindex(ctx context.Context) (music.ReindexStatus, error) {
	return a.reindex(ctx, http.MethodPost)
}

// ReindexStatus reports the running or last rebuild.
func (a *Admin) ReindexStatus(ctx context.Context) (music.ReindexStatus, error) {
	return a.reindex(ctx, http.MethodGet)
}

// reindex sends one request and decodes the status, or the server's
// error body into a domain error with the server's code.
func (a *Admin) reindex(ctx context.Context, method string) (music.ReindexStatus, error) {
	var st music.ReindexStatus
	return st, a.call(ctx, method, ReindexPath, &st)
}

// call sends one bodiless request to path and decodes the answer into
// out (nil: the answer has no body), or the server's error body into a
// domain error with the server's code.
func (a *Admin) call(ctx context.Context, method, path string, out any) error {
	base := strings.TrimRight(a.Base, "/")
	url := base + path
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return music.Errorf(music.EINVALID, "server %q: %v", a.Base, err)
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	hc := a.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: adminTimeout}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "server %s: %v", base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "server %s: %v", base, err)
	}
	if resp.StatusCode >= 300 {
		return apiError(method, url, resp.StatusCode, body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return music.Errorf(music.EUNAVAILABLE, "%s %s: bad answer: %v", method, url, err)
	}
	return nil
}

// apiError turns the API's error body {"error":{"code","message"}} into a
// domain error; an answer without one is EUNAVAILABLE with the status.
func apiError(method, url string, status int, body []byte) error {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		return music.Errorf(music.EUNAVAILABLE, "%s %s: HTTP %d", method, url, status)
	}
	return music.Errorf(e.Error.Code, "%s %s: %s", method, url, e.Error.Message)
}
