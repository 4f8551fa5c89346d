package webfetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	music "github.com/openmusic/music"
)

// Validators are what a previous answer said about its version, for a
// conditional GET.
type Validators struct {
	ETag         string
	LastModified string
}

// Response is a fetched URL. When NotModified is set there is no Body.
type Response struct {
	URL         string // after redirects
	NotModified bool
	Validators  Validators
	ContentType string
	// Body stops with an EINVALID error past the byte cap. The caller
	// closes it.
	Body io.ReadCloser
}

// Get fetches rawURL, at most maxBytes of body. With validators it asks
// only for a changed version and reports NotModified otherwise. An
// answer other than 2xx or 304 is an error: EUNAVAILABLE for 429 and 5xx
// (try later), EINVALID for the rest (the URL is wrong).
func (c *Client) Get(ctx context.Context, rawURL string, since Validators, maxBytes int64) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "URL %q: %v", rawURL, err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "URL %q: %v", rawURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if since.ETag != "" {
		req.Header.Set("If-None-Match", since.ETag)
	}
	if since.LastModified != "" {
		req.Header.Set("If-Modified-Since", since.LastModified)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, explain(u.Redacted(), err)
	}
	out := &Response{
		URL:         resp.Request.URL.Redacted(),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
		ContentType: resp.Header.Get("Content-Type"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		drain(resp.Body)
		out.NotModified = true
		if out.Validators == (Validators{}) {
			out.Validators = since
		}
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		drain(resp.Body)
		return nil, music.Errorf(music.EUNAVAILABLE, "fetch %s: %s", out.URL, resp.Status)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		drain(resp.Body)
		return nil, music.Errorf(music.EINVALID, "fetch %s: %s", out.URL, resp.Status)
	}
	if resp.ContentLength > maxBytes {
		drain(resp.Body)
		return nil, music.Errorf(music.EINVALID, "fetch %s: %d bytes is over the %d-byte limit", out.URL, resp.ContentLength, maxBytes)
	}
	out.Body = &cappedBody{rc: resp.Body, left: maxBytes, url: out.URL, max: maxBytes}
	return out, nil
}

// cappedBody fails a read that would go past the cap, rather than
// silently truncating: a truncated feed or audio file must not be taken
// for a whole one.
type cappedBody struct {
	rc        io.ReadCloser
	left, max int64
	url       string
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the cap from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, music.Errorf(music.EINVALID, "fetch %s: body is over the %d-byte limit", b.url, b.max)
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("fetch %s: %w", b.url, err)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }
