package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultChunkSize is the range size: 256 kB, about 6.5 s of 320 kbps
// audio.
const DefaultChunkSize = 256 << 10

// StartChunkSize is the first range Play asks for when nothing was
// prefetched: enough for the Vorbis headers and the first second or so.
const StartChunkSize = 32 << 10

// PrefetchSeconds is how much of the next track Prefetch loads.
const PrefetchSeconds = 5

// prefetchSlack covers the Ogg headers (codebooks) ahead of the audio.
const prefetchSlack = 8 << 10

// Track is what the client needs of a catalog track: the signed stream URL
// of each rung (the stream_urls of GET /api/v1/tracks/{id}).
type Track struct {
	ID         string
	StreamURLs map[string]string
}

// Client fetches audio. The zero value is not usable; use New.
type Client struct {
	HTTP      *http.Client
	ChunkSize int64
	// StartRung is requested before any bandwidth has been measured.
	StartRung string
	Estimate  *Estimator
	Now       func() time.Time
	// Fallback, when set, is where a Player goes on from when a range
	// fetch fails mid-track (the offline store).
	Fallback Fallback

	mu       sync.Mutex
	prefetch map[string][]byte // stream URL → its first bytes
}

// New returns a client with 256 kB chunks starting at the 160 rung.
func New(hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{HTTP: hc, ChunkSize: DefaultChunkSize, StartRung: "160", Estimate: &Estimator{},
		Now: time.Now, prefetch: map[string][]byte{}}
}

// Rung is the rung the next chunk of tr should come from: the estimate's,
// stepped down to the best rung tr has.
func (c *Client) Rung(tr Track) (string, error) {
	want := c.StartRung
	if bps, ok := c.Estimate.BPS(); ok {
		want = RungFor(bps)
	}
	for _, r := range []string{"320", "160", "96", "24"} {
		if rungKbps[r] <= rungKbps[want] && tr.StreamURLs[r] != "" {
			return r, nil
		}
	}
	for _, r := range []string{"24", "96", "160", "320"} {
		if tr.StreamURLs[r] != "" {
			return r, nil
		}
	}
	return "", fmt.Errorf("track %s has no stream URLs", tr.ID)
}

// fetch gets bytes [off, off+n) of url, measures the transfer into the
// estimate, and returns them with the object's total size.
func (c *Client) fetch(ctx context.Context, url string, off, n int64) ([]byte, int64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	start := c.Now()
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusPartialContent {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return nil, 0, fmt.Errorf("GET %s bytes %d+%d: %s: %s", url, off, n, res.Status, b)
	}
	total, err := totalOf(res.Header.Get("Content-Range"))
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", url, err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, 0, err
	}
	if len(b) == 0 { // every reader would ask again for the same bytes, forever
		return nil, 0, fmt.Errorf("GET %s bytes %d+%d: empty 206 answer: %w", url, off, n, io.ErrUnexpectedEOF)
	}
	c.Estimate.Add(int64(len(b)), c.Now().Sub(start).Seconds())
	return b, total, nil
}

// totalOf reads the size from "bytes a-b/size".
func totalOf(cr string) (int64, error) {
	i := strings.LastIndexByte(cr, '/')
	if !strings.HasPrefix(cr, "bytes ") || i < 0 {
		return 0, fmt.Errorf("unusable Content-Range %q", cr)
	}
	n, err := strconv.ParseInt(cr[i+1:], 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("unusable Content-Range %q", cr)
	}
	return n, nil
}

// Prefetch loads the first PrefetchSeconds of tr at the rung the estimate
// suggests now, so that Play(tr) starts from memory: the gapless hand-over
// from one track to the next.
func (c *Client) Prefetch(ctx context.Context, tr Track) error {
	rung, err := c.Rung(tr)
	if err != nil {
		return err
	}
	n := int64(rungKbps[rung])*1000/8*PrefetchSeconds + prefetchSlack
	b, _, err := c.fetch(ctx, tr.StreamURLs[rung], 0, n)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.prefetch[tr.StreamURLs[rung]] = b
	c.mu.Unlock()
	return nil
}

// takePrefetched returns and forgets the prefetched start of url.
func (c *Client) takePrefetched(url string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.prefetch[url]
	delete(c.prefetch, url)
	return b
}
