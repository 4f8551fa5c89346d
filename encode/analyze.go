package encode

import (
	"context"
	"fmt"
	"io"
	"math"

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
	m.concurrent = true
	// The decoder runs on its own goroutine, a few blocks ahead of the
	// meter, whose channels run on goroutines of their own: on two cores
	// both are busy.
	type block struct {
		pcm []float32
		err error
	}
	const ahead = 3
	free := make(chan []float32, ahead)
	for range ahead {
		free <- make([]float32, 65536*f.Channels)
	}
	full := make(chan block, ahead)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			var buf []float32
			select {
			case buf = <-free:
			case <-done:
				return
			}
			n, err := d.Read(buf)
			full <- block{buf[:n], err}
			if err != nil {
				return
			}
		}
	}()
	var frames int64
	for {
		if err := ctx.Err(); err != nil {
			return Loudness{}, err
		}
		b := <-full
		m.Write(b.pcm)
		frames += int64(len(b.pcm) / f.Channels)
		free <- b.pcm[:cap(b.pcm)]
		if b.err == io.EOF {
			break
		}
		if b.err != nil {
			return Loudness{}, fmt.Errorf("analyze: %w", b.err)
		}
	}
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
