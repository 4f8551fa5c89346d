package client

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/jfreymuth/oggvorbis"
)

// Player decodes a track to PCM with adaptive bitrate. It reads the
// rendition in range chunks; after each chunk, if the estimate asks for
// another rung, it continues on that rung at the same sample: it fetches
// the new rung's headers, finds an Ogg page just before the switch point
// and lets the Vorbis decoder seek from there, so the PCM stream has no
// gap and no repeated sample across a switch.
//
// The 24 kbps rung is 16 kHz: a switch to or from it changes Format, and
// the switch point is the nearest sample at the new rate. Read never
// returns samples of two formats in one call.
type Player struct {
	ctx      context.Context
	c        *Client
	tr       Track
	rung     string
	file     *remoteFile
	dec      *oggvorbis.Reader
	fetched  int      // file.fetches when the rung was last chosen
	want     string   // the rung the next Read switches to, if any
	scale    float32  // the linear gain SetGain asked for; 0 when none was
	Switches []Switch // every rung change, in order
	// SwitchErr is why the last attempt to change rung failed, if it
	// did; playback then goes on at the current rung and tries again
	// after the next chunk.
	SwitchErr error
}

// Switch records one rung change.
type Switch struct {
	From, To string
	Frame    int64 // the first frame decoded from To, at To's sample rate
}

// Open starts playing tr at the rung the estimate suggests (or a
// prefetched one, whose start is already here).
func (c *Client) Open(ctx context.Context, tr Track) (*Player, error) {
	rung, err := c.openingRung(tr)
	if err != nil {
		return nil, err
	}
	f := c.remoteFile(ctx, tr.StreamURLs[rung], tr.ID, rung)
	dec, err := oggvorbis.NewReader(&seqReader{f: f})
	if err != nil {
		return nil, fmt.Errorf("track %s rung %s: %w", tr.ID, rung, err)
	}
	return &Player{ctx: ctx, c: c, tr: tr, rung: rung, file: f, dec: dec}, nil // the first Read weighs the opening chunk
}

// Format is the sample rate and channel count of what the last Read
// returned (before any Read: of what the first will return).
func (p *Player) Format() (rate, channels int) { return p.dec.SampleRate(), p.dec.Channels() }

// Rung is the rung being decoded.
func (p *Player) Rung() string { return p.rung }

// Read decodes interleaved samples into pcm. The rung is chosen after a
// Read that fetched a chunk and changed at the start of the next one, so
// the samples already decoded are returned first (the first audio of a
// track never waits for a switch) and one Read never mixes rungs.
func (p *Player) Read(pcm []float32) (int, error) {
	if p.want != "" {
		p.SwitchErr = p.switchTo(p.want)
		p.want = ""
	}
	n, err := p.dec.Read(pcm)
	if p.scale != 0 {
		for i := range pcm[:n] {
			pcm[i] *= p.scale
		}
	}
	if err == nil && p.file.fetches > p.fetched {
		p.fetched = p.file.fetches
		if want, rerr := p.c.Rung(p.tr); rerr == nil && want != p.rung {
			p.want = want
		}
	}
	return n, err
}

// SetGain scales every sample Read returns from now on by gainDB (the
// ReplayGain the caller chose, already limited for the track's peak).
func (p *Player) SetGain(gainDB float64) { p.scale = float32(math.Pow(10, gainDB/20)) }

// Close ends playback. A Player holds no connection between reads (each
// chunk is one range GET); what it releases is the offline copy it went
// on from, if it did.
func (p *Player) Close() error { return p.file.close() }

// switchTo continues the track on rung at the current position.
func (p *Player) switchTo(rung string) error {
	f := p.c.remoteFile(p.ctx, p.tr.StreamURLs[rung], p.tr.ID, rung)
	head, rate, _, err := vorbisHeaders(f)
	if err != nil {
		return fmt.Errorf("track %s rung %s: %w", p.tr.ID, rung, err)
	}
	size, err := f.Size()
	if err != nil {
		return err
	}
	oldRate := int64(p.dec.SampleRate())
	frame := (p.dec.Position()*int64(rate) + oldRate/2) / oldRate
	// Bytes track time closely enough in the ladder's VBR for a first
	// guess: the same fraction of the new file as was read of the old.
	frac := float64(p.file.readEnd()) / float64(p.file.size)
	from, err := pageBefore(f, head, int64(frac*float64(size)), frame, p.c.ChunkSize)
	if err != nil {
		return fmt.Errorf("track %s rung %s: finding the page before frame %d: %w", p.tr.ID, rung, frame, err)
	}
	until, err := pageAfter(f, from, frame)
	if err != nil {
		return fmt.Errorf("track %s rung %s: no page after frame %d: %w", p.tr.ID, rung, frame, err)
	}
	sp := &splice{f: f, head: head, from: from, until: until}
	dec, err := oggvorbis.NewReader(sp)
	if err != nil {
		return fmt.Errorf("track %s rung %s: %w", p.tr.ID, rung, err)
	}
	if err := dec.SetPosition(frame); err != nil {
		return fmt.Errorf("track %s rung %s: seek to frame %d: %w", p.tr.ID, rung, frame, err)
	}
	sp.until = 0
	p.Switches = append(p.Switches, Switch{From: p.rung, To: rung, Frame: frame})
	p.file.close() // the old rung's offline copy, if it went on from one, is done with
	p.rung, p.file, p.dec, p.fetched = rung, f, dec, f.fetches
	return nil
}

// pageBefore finds an audio page of f (at or after head) whose granule
// position is known and at most frame, starting the search at guess and
// stepping back a chunk at a time. The splice starts there; if frame is
// in the first audio page, it starts at the first audio page (head) and
// the decoder skips from the start of the stream.
func pageBefore(f *remoteFile, head, guess, frame, step int64) (int64, error) {
	for start := max(guess-step/2, head); ; start = max(start-step, head) {
		off, g, err := nextGranulePage(f, start)
		if err == nil && g <= frame {
			return off, nil
		}
		if err != nil && err != io.EOF {
			return 0, err
		}
		if start == head {
			return head, nil
		}
	}
}

// pageAfter is the end of the first page from off on whose granule
// position is past frame, or the end of the file.
func pageAfter(f *remoteFile, off, frame int64) (int64, error) {
	for off < f.size {
		p, err := readPage(f, off, false)
		if err != nil {
			return 0, fmt.Errorf("page at byte %d: %w", off, err)
		}
		off += int64(p.Len)
		if p.Granule > frame {
			break
		}
	}
	return off, nil
}

// nextGranulePage is the first verified page at or after off that ends a
// packet, with its granule position.
func nextGranulePage(f *remoteFile, off int64) (int64, int64, error) {
	buf := make([]byte, 4096)
	for {
		n, err := f.ReadAt(buf, off)
		for i := 0; i+4 <= n; i++ {
			if string(buf[i:i+4]) != "OggS" {
				continue
			}
			p, perr := readPage(f, off+int64(i), true)
			if perr == nil && p.Granule >= 0 {
				return off + int64(i), p.Granule, nil
			}
		}
		if err != nil {
			return 0, 0, err
		}
		off += int64(max(n-3, 1))
	}
}
