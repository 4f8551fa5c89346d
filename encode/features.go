package encode

import (
	"context"
	"fmt"
	"io"
	"sync"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/audiofeatures"
)

// AnalyzeFeatures decodes path once and measures its loudness and audio
// features side by side: the backfill for tracks ingested before features
// were measured (EncodeTrack measures both while encoding).
func AnalyzeFeatures(ctx context.Context, path string) (Loudness, music.AudioFeatures, error) {
	d, err := Open(path)
	if err != nil {
		return Loudness{}, music.AudioFeatures{}, err
	}
	defer d.Close()
	f := d.Format()
	meter := NewMeter(f.SampleRate, f.Channels)
	features := audiofeatures.New(f.SampleRate, f.Channels)
	var wg sync.WaitGroup
	stages := []*stage{
		startStage(&wg, "loudness", func(c []float32) error { meter.Write(c); return nil }),
		startStage(&wg, "features", func(c []float32) error { features.Write(c); return nil }),
	}
	var frames int64
	var failed error
	for {
		if failed = ctx.Err(); failed != nil {
			break
		}
		buf := make([]float32, ladderChunkFrames*f.Channels)
		n, rerr := d.Read(buf)
		if n > 0 {
			frames += int64(n / f.Channels)
			for _, s := range stages {
				s.in <- buf[:n]
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			failed = fmt.Errorf("analyze %s: %w", path, rerr)
			break
		}
	}
	for _, s := range stages {
		close(s.in)
	}
	wg.Wait()
	if failed != nil {
		return Loudness{}, music.AudioFeatures{}, failed
	}
	if f.Frames >= 0 && frames != f.Frames {
		return Loudness{}, music.AudioFeatures{}, music.Errorf(music.EINVALID, "%s: header states %d frames but %d decode", path, f.Frames, frames)
	}
	l := meter.Loudness()
	return l, features.Features(l.Integrated), nil
}
