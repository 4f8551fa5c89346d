package encode

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/audiofeatures"
	"github.com/openmusic/music/encode/vorbis"
)

// Options configures EncodeTrack.
type Options struct {
	Tags Tags
	// PreviewStart is the label's clip start in seconds (DDEX
	// ClipDetails/StartPoint); nil chooses the hook automatically.
	PreviewStart *float64
	// AlbumGain, when known, adds REPLAYGAIN_ALBUM_* tags.
	AlbumGain *Album
	// Progress, if set, is called with the fraction done (0…1), at most
	// about a hundred times, so a Temporal activity can heartbeat.
	Progress func(fraction float64)
}

// Result is what EncodeTrack produced; rendition.json holds it.
type Result struct {
	Source     Source      `json:"source"`
	Loudness   Loudness    `json:"loudness"`
	Album      *Album      `json:"album,omitempty"`
	Renditions []Rendition `json:"renditions"`
	Preview    PreviewInfo `json:"preview"`
	// Features are measured from the same decoded audio as Loudness.
	Features music.AudioFeatures `json:"features"`
	Stages   StageSeconds        `json:"stage_seconds"`
}

// Source describes the decoded master.
type Source struct {
	Path   string `json:"path"`
	Format Format `json:"format"`
	Frames int64  `json:"frames"`
}

// Rendition is one output file.
type Rendition struct {
	Path       string `json:"path"` // relative to the output directory
	Bytes      int64  `json:"bytes"`
	SHA256     string `json:"sha256"`
	Codec      string `json:"codec"`
	Bitrate    int    `json:"bitrate"`        // nominal, bits per second
	Actual     int    `json:"bitrate_actual"` // bytes·8 / duration
	SampleRate int    `json:"sample_rate"`
	Channels   int    `json:"channels"`
	Samples    int64  `json:"samples"` // frames per channel
}

// StageSeconds is the CPU time of each pipeline stage, measured per OS
// thread (stages overlap in wall time: the rungs and the meter run
// concurrently). "resample" includes the stereo mix-down and copies.
type StageSeconds map[string]float64

// EncodeTrack decodes input once and, concurrently, measures loudness and
// feeds the four ladder encoders; then it cuts the preview. Files are
// written in a temporary directory inside outDir and renamed into place
// only when everything succeeded, rendition.json last.
func EncodeTrack(ctx context.Context, input, outDir string, opts Options) (*Result, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	tmp, err := os.MkdirTemp(outDir, ".encode-*")
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	defer os.RemoveAll(tmp)

	d, err := Open(input)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	f := d.Format()
	res := &Result{Source: Source{Path: input, Format: f}, Stages: StageSeconds{}, Album: opts.AlbumGain}
	progress := throttle(opts.Progress)

	// With the label's clip start and a length from the header, the
	// preview is cut beside the ladder, on the core time the encoders
	// leave idle; the hook needs the whole track's loudness first.
	var early chan preview
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if opts.PreviewStart != nil && f.Frames > 0 {
		early = make(chan preview, 1)
		go func() { early <- writePreview(pctx, input, tmp, f, f.Frames, opts.PreviewStart, nil) }()
	}
	main, err := runLadder(ctx, d, tmp, res, progress, Ladder)
	if err == nil && res.Source.Frames == 0 {
		err = music.Errorf(music.EINVALID, "%s: no audio frames", input)
	}
	if err != nil {
		if early != nil {
			cancel()
			<-early // it writes in tmp, which is removed on return
		}
		return nil, err
	}
	var pv preview
	if early != nil {
		pv = <-early
	} else {
		pv = writePreview(ctx, input, tmp, f, res.Source.Frames, opts.PreviewStart, main.blocks)
	}
	if pv.err != nil {
		return nil, pv.err
	}
	res.Preview, res.Stages["preview"] = pv.info, pv.cpu
	res.Renditions = append(res.Renditions, pv.rd)
	comments := vorbisComments(opts.Tags, res.Loudness, opts.AlbumGain)
	for _, r := range main.rungs {
		rd, err := r.assemble(tmp, comments)
		if err != nil {
			return nil, err
		}
		res.Renditions = append(res.Renditions, rd)
	}
	if err := publish(tmp, outDir, res); err != nil {
		return nil, err
	}
	progress(1)
	return res, nil
}

// ladderChunkFrames is how many frames the decoding pass hands the stages
// at a time.
const ladderChunkFrames = 65536

// ladderRun is the state the single decoding pass leaves behind.
type ladderRun struct {
	rungs  []*rungEnc
	blocks []float64
}

func runLadder(ctx context.Context, d Decoder, tmp string, res *Result, progress func(float64), ladder []Rung) (*ladderRun, error) {
	f := d.Format()
	var wg sync.WaitGroup
	meter := NewMeter(f.SampleRate, f.Channels)
	mstage := startStage(&wg, "loudness", func(c []float32) error { meter.Write(c); return nil })
	features := audiofeatures.New(f.SampleRate, f.Channels)
	fstage := startStage(&wg, "features", func(c []float32) error { features.Write(c); return nil })
	var rungs []*rungEnc
	var stages []*stage
	closeAll := func() {
		for _, s := range append(stages, mstage, fstage) {
			close(s.in)
		}
		wg.Wait()
	}
	for _, rg := range ladder {
		r, err := newRungEnc(tmp, rg)
		if err != nil {
			closeAll()
			for _, r := range rungs {
				r.enc.Abort()
			}
			return nil, err
		}
		rungs = append(rungs, r)
		stages = append(stages, startStage(&wg, "vorbis_"+rg.Name, r.write))
	}
	abort := func(err error) (*ladderRun, error) {
		closeAll()
		for _, r := range rungs {
			r.enc.Abort()
			r.body.Close()
		}
		return nil, err
	}
	var rs *Resampler
	if f.SampleRate != ladderRate {
		rs = NewResampler(f.SampleRate, ladderRate, 2)
	}
	send := func(c []float32) {
		for _, s := range stages {
			s.in <- c
		}
	}
	runtime.LockOSThread() // so threadCPU splits decode from resample
	defer runtime.UnlockOSThread()
	// Big pieces: every piece wakes six threads (meter and encoders are
	// each locked to one), and with 8192 frames the wake-ups cost more
	// system time than the decoding.
	buf := make([]float32, ladderChunkFrames*f.Channels)
	var decodeT, resampleT time.Duration
	var frames int64
	for {
		if err := ctx.Err(); err != nil {
			return abort(err)
		}
		t0 := threadCPU()
		n, rerr := d.Read(buf)
		t1 := threadCPU()
		decodeT += t1 - t0
		if rerr != nil && rerr != io.EOF {
			return abort(rerr)
		}
		if n > 0 {
			frames += int64(n / f.Channels)
			native := append([]float32(nil), buf[:n]...) // both stages only read it
			mstage.in <- native
			fstage.in <- native
			st := mixStereo(make([]float32, 0, n/f.Channels*2), buf[:n], f.Channels)
			if rs != nil {
				st = rs.Write(make([]float32, 0, len(st)*ladderRate/f.SampleRate+64), st)
			}
			resampleT += threadCPU() - t1
			send(st)
			if f.Frames > 0 {
				progress(0.9 * float64(frames) / float64(f.Frames))
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if rs != nil {
		t := threadCPU()
		tail := rs.Flush(nil)
		resampleT += threadCPU() - t
		send(tail)
	}
	closeAll()
	for _, s := range append(stages, mstage, fstage) {
		if s.err != nil {
			return abort(s.err)
		}
	}
	if f.Frames >= 0 && frames != f.Frames {
		return abort(music.Errorf(music.EINVALID, "%s: header states %d frames but %d decode", res.Source.Path, f.Frames, frames))
	}
	res.Source.Frames = frames
	res.Loudness = meter.Loudness()
	res.Features = features.Features(res.Loudness.Integrated)
	res.Stages["decode"] = decodeT.Seconds()
	res.Stages["resample"] = resampleT.Seconds()
	for _, s := range append(stages, mstage, fstage) {
		res.Stages[s.name] = s.busy.Seconds()
	}
	return &ladderRun{rungs: rungs, blocks: meter.blocks}, nil
}

// throttle calls fn only when the fraction advanced by 1 % or more.
func throttle(fn func(float64)) func(float64) {
	last := -1.0
	return func(x float64) {
		if fn != nil && (x-last >= 0.01 || x == 1 && last != 1) {
			last = x
			fn(x)
		}
	}
}

// rungEnc is one ladder encoder writing its audio pages to a body file.
type rungEnc struct {
	rung Rung
	body *os.File
	enc  *vorbis.Encoder
	rs   *Resampler
}

func newRungEnc(tmp string, rg Rung) (*rungEnc, error) {
	body, err := os.Create(filepath.Join(tmp, rg.Name+".body"))
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	enc, err := vorbis.New(body, vorbis.Options{Rate: rg.Rate, Channels: rg.Channels, Mode: rg.Mode,
		Bitrate: rg.Bitrate, Quality: rg.Quality, Serial: int32(rg.Bitrate)})
	if err != nil {
		body.Close()
		return nil, err
	}
	r := &rungEnc{rung: rg, body: body, enc: enc}
	if rg.Rate != ladderRate {
		r.rs = NewResampler(ladderRate, rg.Rate, 2)
	}
	return r, nil
}

// write takes 44.1 kHz stereo.
func (r *rungEnc) write(c []float32) error {
	if r.rs != nil {
		c = r.rs.Write(nil, c)
	}
	return r.encode(c)
}

// encode takes stereo at the rung's rate.
func (r *rungEnc) encode(c []float32) error {
	if r.rung.Channels == 1 {
		m := make([]float32, len(c)/2)
		for i := range m {
			m[i] = (c[2*i] + c[2*i+1]) / 2
		}
		c = m
	}
	return r.enc.Write(c)
}

// flushTail pushes the low rung's resampler tail (called once, after the
// stage has drained).
func (r *rungEnc) flushTail() error {
	if r.rs == nil {
		return nil
	}
	return r.encode(r.rs.Flush(nil))
}
