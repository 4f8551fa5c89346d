package client

import (
	"context"
	"io"
)

// Play opens tr's bytes for decoding: one rung, chosen now (a prefetched
// rung if Prefetch ran, so the start comes from memory), read in ChunkSize
// ranges as the decoder asks for bytes. It never switches rung; Open
// returns a Player that does, decoding across the switch.
func (c *Client) Play(ctx context.Context, tr Track) (io.ReadCloser, string, error) {
	rung, err := c.openingRung(tr)
	if err != nil {
		return nil, "", err
	}
	url := tr.StreamURLs[rung]
	return &rangeReader{ctx: ctx, c: c, url: url, buf: c.takePrefetched(url), size: -1}, rung, nil
}

// rangeReader reads one object in range chunks, starting with any
// prefetched bytes.
type rangeReader struct {
	ctx  context.Context
	c    *Client
	url  string
	buf  []byte // fetched, not yet read
	off  int64  // object offset just past buf
	size int64  // -1 until the first fetch
	init bool
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if !r.init {
		r.init = true
		r.off = int64(len(r.buf))
	}
	for len(r.buf) == 0 {
		if r.size >= 0 && r.off >= r.size {
			return 0, io.EOF
		}
		n := r.c.ChunkSize
		if r.off == 0 {
			// A small first range: the headers and first packets arrive
			// sooner, so playback starts sooner.
			n = min(n, StartChunkSize)
		}
		b, total, err := r.c.fetch(r.ctx, r.url, r.off, n)
		if err != nil {
			return 0, err
		}
		r.buf, r.size, r.off = b, total, r.off+int64(len(b))
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *rangeReader) Close() error { return nil }

// openingRung is the rung a track starts on: a prefetched one if Prefetch
// ran (its start is already here), else the estimate's.
func (c *Client) openingRung(tr Track) (string, error) {
	c.mu.Lock()
	for r, u := range tr.StreamURLs {
		if _, ok := c.prefetch[u]; ok {
			c.mu.Unlock()
			return r, nil
		}
	}
	c.mu.Unlock()
	return c.Rung(tr)
}
