package encode

import (
	"context"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"

	music "github.com/openmusic/music"
)

// Analyze decodes path and measures its loudness (integrated, LRA, true
// peak) and ReplayGain 2.0 track gain.
func Analyze(ctx context.Context, path string) (Loudness, error) {
	d, err := Open(path)
	if err != nil {
		return Loudness{}, err
	}
	defer d.Close()
	f := d.Format()
	m := NewMeter(f.SampleRate, f.Channels)
	// Each channel is measured on its own goroutine, block after block,
	// while this one decodes ahead: nothing waits for a whole block to be
	// done on every channel, so a descheduled thread on a busy machine
	// holds up no one until the end. A block goes back to the decoder
	// when all its channels are measured.
	type block struct {
		pcm  []float32
		refs atomic.Int32
	}
	const ahead = 6
	free := make(chan *block, ahead)
	for range ahead {
		free <- &block{pcm: make([]float32, 65536*f.Channels)}
	}
	queues := make([]chan *block, f.Channels)
	var wg sync.WaitGroup
	for c := range queues {
		queues[c] = make(chan *block, ahead) // never full: only ahead blocks exist
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range queues[c] {
				m.chans[c].measureStream(m, b.pcm, c)
				if b.refs.Add(-1) == 0 {
					free <- b
				}
			}
		}()
	}
	var frames int64
	var failed error
	for {
		if failed = ctx.Err(); failed != nil {
			break
		}
		b := <-free
		n, err := d.Read(b.pcm[:cap(b.pcm)])
		b.pcm = b.pcm[:n]
		frames += int64(n / f.Channels)
		if n > 0 {
			b.refs.Store(int32(f.Channels))
			for _, q := range queues {
				q <- b
			}
		} else {
			free <- b
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			failed = fmt.Errorf("analyze: %w", err)
			break
		}
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	if failed != nil {
		return Loudness{}, failed
	}
	m.addChannelSteps()
	if f.Frames >= 0 && frames != f.Frames {
		return Loudness{}, music.Errorf(music.EINVALID, "%s: header states %d frames but %d decode", path, f.Frames, frames)
	}
	return m.Loudness(), nil
}

// Album is the ReplayGain 2.0 album measurement over a set of tracks.
type Album struct {
	Integrated float64 `json:"integrated_lufs"`
	Gain       float64 `json:"album_gain_db"`
	Peak       float64 `json:"album_peak"` // linear, max track true peak
}

// AlbumGain gates the tracks' blocks together, as if the album were one
// programme, which is how ReplayGain 2.0 defines album gain. Every
// Loudness must come from Analyze or Meter in this process.
func AlbumGain(tracks []Loudness) (Album, error) {
	var blocks []float64
	var a Album
	for i, t := range tracks {
		if t.blocks == nil && !t.Silent && t.Integrated != SilenceLUFS {
			return Album{}, music.Errorf(music.EINVALID, "album gain: track %d has no block data (not measured in this process)", i)
		}
		blocks = append(blocks, t.blocks...)
		a.Peak = math.Max(a.Peak, t.Peak)
	}
	var silent bool
	a.Integrated, silent = gatedLoudness(blocks, -10)
	if !silent {
		a.Gain = ReferenceLoudness - a.Integrated
	}
	return a, nil
}

// GatingBlocks returns the 400 ms block energies that AlbumGain gates
// over, so a measurement can cross a process boundary (a Temporal activity
// result) and still count towards an album.
func (l Loudness) GatingBlocks() []float64 { return l.blocks }

// WithGatingBlocks returns l carrying blocks, as GatingBlocks gave them.
func (l Loudness) WithGatingBlocks(blocks []float64) Loudness {
	l.blocks = blocks
	return l
}
