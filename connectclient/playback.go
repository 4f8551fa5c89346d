package connectclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/openmusic/music/serving/client"
)

// playback is one track playing: its goroutine decodes and writes audio
// at real-time pace until the track ends or it is stopped.
type playback struct {
	trackID, sessionID string
	startMS            int64 // position it started from
	started            time.Time
	cancel             context.CancelFunc
	done               chan struct{}
	playedMS           int64 // written by the goroutine, read after done
	completed          bool
}

// start stops what plays and plays trackID from positionMS.
func (d *Device) start(ctx context.Context, trackID string, positionMS int64, session string) {
	d.stop("switched")
	pctx, cancel := context.WithCancel(ctx)
	p := &playback{trackID: trackID, sessionID: session, startMS: positionMS, started: time.Now(), cancel: cancel, done: make(chan struct{})}
	d.mu.Lock()
	d.play = p
	d.mu.Unlock()
	d.logf(map[string]any{"event": "playing", "track_id": trackID, "position_ms": positionMS, "session_id": session})
	go func() {
		defer close(p.done)
		err := d.decode(pctx, p)
		switch {
		case err == nil:
			p.completed = true
			d.logf(map[string]any{"event": "ended", "track_id": trackID})
			d.mu.Lock()
			if d.play == p {
				d.play = nil
			}
			d.mu.Unlock()
			d.report(context.WithoutCancel(ctx), p)
			d.send(ctx, map[string]any{"type": "ended", "track_id": trackID})
		case pctx.Err() == nil:
			d.logf(map[string]any{"event": "play_error", "track_id": trackID, "error": err.Error()})
		}
	}()
}

// stop ends what plays, if anything, and reports the play.
func (d *Device) stop(why string) {
	d.mu.Lock()
	p := d.play
	d.play = nil
	d.mu.Unlock()
	if p == nil {
		return
	}
	p.cancel()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	d.logf(map[string]any{"event": "stopped", "track_id": p.trackID, "why": why, "played_ms": p.playedMS})
	if !p.completed {
		d.report(context.Background(), p)
	}
}

// decode plays p: the track's stream URLs from the catalog, the audio
// through serving/client from p's position, into the sink at real-time
// pace. nil means the track ended.
func (d *Device) decode(ctx context.Context, p *playback) error {
	c := New(d.currentServer(), d.Token)
	c.HTTP = d.HTTP
	var tr struct {
		StreamURLs map[string]string `json:"stream_urls"`
	}
	if _, err := c.do(ctx, "GET", "/api/v1/tracks/"+url.PathEscape(p.trackID), nil, &tr); err != nil {
		return fmt.Errorf("track %s: %w", p.trackID, err)
	}
	for rung, u := range tr.StreamURLs {
		if ref, err := url.Parse(u); err == nil && !ref.IsAbs() {
			tr.StreamURLs[rung] = c.Server + u
		}
	}
	pl, err := client.New(d.HTTP).Open(ctx, client.Track{ID: p.trackID, StreamURLs: tr.StreamURLs})
	if err != nil {
		return err
	}
	defer pl.Close()
	buf := make([]float32, 8192)
	var skipped, frames int64 // frames skipped to reach the position, frames played
	begin := time.Now()
	for {
		n, err := pl.Read(buf)
		rate, ch := pl.Format()
		if n > 0 {
			chunk := buf[:n]
			if skip := p.startMS*int64(rate)/1000 - skipped; skip > 0 {
				drop := min(int64(n/ch), skip)
				skipped += drop
				chunk = chunk[drop*int64(ch):]
			}
			if len(chunk) > 0 {
				if d.sink != nil {
					if werr := d.sink.Write(chunk, rate, ch); werr != nil {
						return werr
					}
				}
				frames += int64(len(chunk) / ch)
				p.playedMS = frames * 1000 / int64(rate)
				// Real time: wait until the audio written so far is due.
				if ahead := time.Duration(p.playedMS)*time.Millisecond - time.Since(begin); ahead > 0 {
					select {
					case <-time.After(ahead):
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// report posts the play to /api/v1/playback/report with the session the
// play command carried, so a play moved to this device counts on its own.
func (d *Device) report(ctx context.Context, p *playback) {
	d.mu.Lock()
	session := p.sessionID
	d.mu.Unlock()
	if p.playedMS <= 0 || session == "" {
		return
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	c := New(d.currentServer(), d.Token)
	body := map[string]any{"event_id": hex.EncodeToString(id[:]), "track_id": p.trackID, "session_id": session, "device_id": d.ID,
		"played_at": p.started.UTC().Format(time.RFC3339), "duration_listened_ms": p.playedMS, "completed": p.completed, "quality": "160kbps"}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.do(rctx, "POST", "/api/v1/playback/report", body, nil)
	d.logf(map[string]any{"event": "reported", "track_id": p.trackID, "session_id": session, "played_ms": p.playedMS, "error": errString(err)})
}
