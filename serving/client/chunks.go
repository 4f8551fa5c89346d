package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// Chunk is one range fetched by Chunks.
type Chunk struct {
	Rung   string
	Offset int64 // in the rung's file
	Size   int64 // of the rung's file
	Data   []byte
	BPS    float64 // the estimate after this chunk
}

// Chunks walks a track chunk by chunk with adaptive bitrate: before each
// chunk it picks the rung for the current estimate, and on a change it
// continues the new rung at the same point of the track, taken as the same
// fraction of the file (the ladder's quality VBR keeps bytes roughly
// proportional to time). It hands out bytes only; Open's Player is what
// decodes across a switch, resyncing on the new rung's Ogg pages.
type Chunks struct {
	c     *Client
	tr    Track
	frac  float64 // how much of the track is fetched, 0..1
	done  bool
	sizes map[string]int64 // known file sizes by URL
}

// Chunks starts an adaptive walk over tr.
func (c *Client) Chunks(tr Track) *Chunks { return &Chunks{c: c, tr: tr, sizes: map[string]int64{}} }

// Next fetches the next chunk, or returns io.EOF at the end of the track.
func (s *Chunks) Next(ctx context.Context) (Chunk, error) {
	if s.done {
		return Chunk{}, io.EOF
	}
	rung, err := s.c.Rung(s.tr)
	if err != nil {
		return Chunk{}, err
	}
	url := s.tr.StreamURLs[rung]
	size, err := s.sizeOf(ctx, url)
	if err != nil {
		return Chunk{}, err
	}
	off := int64(s.frac * float64(size))
	b, size, err := s.c.fetch(ctx, url, off, s.c.ChunkSize)
	if err != nil {
		return Chunk{}, err
	}
	s.sizes[url] = size
	end := off + int64(len(b))
	s.frac = float64(end) / float64(size)
	s.done = end >= size
	bps, _ := s.c.Estimate.BPS()
	return Chunk{Rung: rung, Offset: off, Size: size, Data: b, BPS: bps}, nil
}

// sizeOf returns the size of url's object: known from an earlier fetch,
// or from a HEAD the first time a switch lands on it.
func (s *Chunks) sizeOf(ctx context.Context, url string) (int64, error) {
	if n, ok := s.sizes[url]; ok || s.frac == 0 {
		return n, nil // at offset 0 the size does not matter yet
	}
	req, err := http.NewRequestWithContext(ctx, "HEAD", url, nil)
	if err != nil {
		return 0, err
	}
	res, err := s.c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ContentLength <= 0 {
		return 0, fmt.Errorf("HEAD %s: %s", url, res.Status)
	}
	s.sizes[url] = res.ContentLength
	return res.ContentLength, nil
}
