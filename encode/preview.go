package encode

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode/mp3"
)

// Preview parameters.
const (
	PreviewSeconds = 30
	FadeSeconds    = 1
	previewKbps    = 128
)

// PreviewInfo says where the preview was cut.
type PreviewInfo struct {
	Start    float64 `json:"start_seconds"`
	Duration float64 `json:"duration_seconds"`
	Hook     bool    `json:"hook"` // true when chosen automatically
}

// HookStart chooses the preview start when the label gives none: the
// 30 s window with the highest mean K-weighted energy (BS.1770 400 ms
// blocks, 100 ms grid) – the most energetic sustained section, not
// the first 30 s. Ties go to the earliest window; a track of 30 s or less
// starts at 0. blocks are a Meter's gating-block energies.
func HookStart(blocks []float64) float64 {
	const w = PreviewSeconds*10 - 3 // blocks inside a 30 s window
	if len(blocks) <= w {
		return 0
	}
	sum := 0.0
	for _, e := range blocks[:w] {
		sum += e
	}
	best, at := sum, 0
	for i := w; i < len(blocks); i++ {
		sum += blocks[i] - blocks[i-w]
		if sum > best*(1+1e-12) {
			best, at = sum, i-w+1
		}
	}
	return float64(at) / 10
}

// preview is what writePreview made: the file, where it was cut, and the
// CPU seconds it took.
type preview struct {
	rd   Rendition
	info PreviewInfo
	cpu  float64
	err  error
}

// writePreview decodes the chosen 30 s again (a partial second pass) and
// encodes it to MP3 with raised-cosine fades in and out. The source is
// input in format f with total frames; the cut starts at start, or with
// none at the hook found in the loudness blocks of the whole track.
func writePreview(ctx context.Context, input, tmp string, f Format, total int64, start *float64, blocks []float64) preview {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	rd, info, err := cutPreview(ctx, input, tmp, f, total, start, blocks)
	if err != nil {
		return preview{err: err}
	}
	return preview{rd: rd, info: info, cpu: (threadCPU() - t0).Seconds()}
}

func cutPreview(ctx context.Context, input, tmp string, f Format, total int64, start *float64, blocks []float64) (Rendition, PreviewInfo, error) {
	info := PreviewInfo{Hook: start == nil}
	if start != nil {
		if math.IsNaN(*start) || *start < 0 || int64(*start*float64(f.SampleRate)) >= total {
			return Rendition{}, info, music.Errorf(music.EINVALID, "preview start %.3f s is outside the track (%.3f s)", *start, float64(total)/float64(f.SampleRate))
		}
		info.Start = *start
	} else {
		info.Start = HookStart(blocks)
	}
	first := int64(info.Start * float64(f.SampleRate))
	n := min(total-first, int64(PreviewSeconds*f.SampleRate))
	d, err := Open(input)
	if err != nil {
		return Rendition{}, info, err
	}
	defer d.Close()
	var rs *Resampler
	outFrames := n
	if f.SampleRate != ladderRate {
		rs = NewResampler(f.SampleRate, ladderRate, 2)
		outFrames = rs.OutputFrames(n)
	}
	info.Duration = float64(outFrames) / ladderRate
	rd := Rendition{Path: "preview.mp3", Codec: "mp3", Bitrate: previewKbps * 1000, SampleRate: ladderRate, Channels: 2, Samples: outFrames}
	fade := &fader{total: outFrames, length: min(int64(FadeSeconds*ladderRate), outFrames/2)}
	err = writeHashed(filepath.Join(tmp, rd.Path), &rd, func(w io.Writer) error {
		enc, err := mp3.New(w, ladderRate, 2, previewKbps)
		if err != nil {
			return err
		}
		buf := make([]float32, 8192*f.Channels)
		var pos int64 // source frames read
		for pos < first+n {
			if err := ctx.Err(); err != nil {
				enc.Close()
				return err
			}
			k, rerr := d.Read(buf)
			chunk := buf[:k]
			lo, hi := pos, pos+int64(k/f.Channels)
			pos = hi
			if hi > first && lo < first+n {
				a, b := max(lo, first)-lo, min(hi, first+n)-lo
				st := mixStereo(nil, chunk[a*int64(f.Channels):b*int64(f.Channels)], f.Channels)
				if rs != nil {
					st = rs.Write(nil, st)
				}
				if err := enc.Write(fade.apply(st)); err != nil {
					return err
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				enc.Close()
				return rerr
			}
		}
		if rs != nil {
			if err := enc.Write(fade.apply(rs.Flush(nil))); err != nil {
				return err
			}
		}
		return enc.Close()
	})
	if err != nil {
		return Rendition{}, info, fmt.Errorf("preview: %w", err)
	}
	return rd, info, nil
}

// fader applies raised-cosine fades to the first and last length frames
// of a stereo stream of total frames.
type fader struct {
	total, length, pos int64
}

func (f *fader) apply(st []float32) []float32 {
	for i := 0; i+1 < len(st); i += 2 {
		g := 1.0
		if f.pos < f.length {
			g = 0.5 - 0.5*math.Cos(math.Pi*float64(f.pos)/float64(f.length))
		} else if rem := f.total - 1 - f.pos; rem < f.length {
			g = 0.5 - 0.5*math.Cos(math.Pi*float64(max(rem, 0))/float64(f.length))
		}
		st[i] *= float32(g)
		st[i+1] *= float32(g)
		f.pos++
	}
	return st
}
