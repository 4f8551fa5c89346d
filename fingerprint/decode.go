package fingerprint

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync/atomic"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
)

// DefaultMaxSeconds is how much audio fpcalc fingerprints by default.
const DefaultMaxSeconds = 120

// Options control FromDecoder.
type Options struct {
	// MaxSeconds limits the fingerprinted audio, as fpcalc's -length;
	// 0 fingerprints the whole stream.
	MaxSeconds float64
	// HashPCM computes the SHA-256 of the whole decoded stream (for
	// exact-duplicate detection); it makes FromDecoder read to the end.
	HashPCM bool
	// StopAtMax stops decoding at MaxSeconds even when the stream does not
	// state its length (Result.Duration then counts only what was
	// decoded): an upload's header is not trusted to bound the work.
	StopAtMax bool
}

// Result is the fingerprint of a decoded stream.
type Result struct {
	Items []uint32 // raw sub-fingerprints
	// Duration is the length of the whole stream in seconds, not only
	// the fingerprinted part (fpcalc prints this as DURATION).
	Duration float64
	// PCMHash is the SHA-256 of the decoded samples (little-endian
	// float32, interleaved) with rate and channels; zero unless
	// Options.HashPCM.
	PCMHash [32]byte
}

// Encoded returns the compressed base64 fingerprint.
func (r *Result) Encoded() string { return Encode(r.Items, Algorithm) }

// FromFile opens path with encode.Open and fingerprints it.
func FromFile(ctx context.Context, path string, opt Options) (*Result, error) {
	d, err := encode.Open(path)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	res, err := FromDecoder(ctx, d, opt)
	if err != nil {
		return nil, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	return res, nil
}

// decoded is a piece of decoded PCM, in whichever form the decoder gave
// it, or the error that ended the stream.
type decoded struct {
	f32 []float32
	i16 []int16
	err error
}

// FromDecoder fingerprints a decoded stream the way fpcalc does (see
// converter), streaming with bounded memory.
func FromDecoder(ctx context.Context, d encode.Decoder, opt Options) (*Result, error) {
	f := d.Format()
	if f.Channels < 1 || f.SampleRate < minInputRate {
		return nil, music.Errorf(music.EINVALID, "unsupported stream: %d Hz, %d channels", f.SampleRate, f.Channels)
	}
	st, err := NewStream(f.SampleRate, f.Channels, f.BitsPerSample, opt.MaxSeconds)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if opt.HashPCM {
		var hdr [8]byte
		binary.LittleEndian.PutUint32(hdr[:], uint32(f.SampleRate))
		binary.LittleEndian.PutUint32(hdr[4:], uint32(f.Channels))
		h.Write(hdr[:])
	}
	// Three stages, each on its own goroutine: decoding, conversion to
	// 11025 Hz mono, and the spectral analysis here. They pass pieces
	// through small channels and recycle the buffers, so memory stays
	// bounded and two cores share the work.
	done, decoderExited := make(chan struct{}), make(chan struct{})
	// The decoder goroutine may still be in a Read when an early stop
	// returns: wait for it, so the caller can close the decoder safely.
	defer func() { close(done); <-decoderExited }()
	earlyStop := !opt.HashPCM && (f.Frames >= 0 || opt.StopAtMax) // nothing else needed once the limit is reached
	var frames atomic.Int64
	var enough atomic.Bool
	// Pieces of 32768 frames: with 8192 the hand-offs between the stages
	// (goroutine wake-ups) cost about a tenth of the CPU.
	pieces, free := make(chan decoded, 3), make(chan decoded, 4)
	// 16-bit WAV skips the round trip through float32 when the PCM need
	// not be hashed.
	d16, int16Path := encode.AsInt16(d)
	int16Path = int16Path && st.conv.integer && !opt.HashPCM
	for range cap(free) {
		if int16Path {
			free <- decoded{i16: make([]int16, 32768*f.Channels)}
		} else {
			free <- decoded{f32: make([]float32, 32768*f.Channels)}
		}
	}
	go func() {
		defer close(decoderExited)
		defer close(pieces)
		var raw []byte
		for !enough.Load() {
			var p decoded
			select {
			case p = <-free:
			case <-done:
				return
			}
			var n int
			if err := ctx.Err(); err != nil {
				p.err = err
			} else if int16Path {
				n, p.err = d16.ReadInt16(p.i16[:cap(p.i16)])
				p.i16 = st.conv.mixInt16(p.i16[:n]) // the mix here, to lighten the next stage
			} else {
				n, p.err = d.Read(p.f32[:cap(p.f32)])
				p.f32 = p.f32[:n]
				if n > 0 && opt.HashPCM {
					raw = raw[:0]
					for _, v := range p.f32 {
						raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
					}
					h.Write(raw)
				}
			}
			frames.Add(int64(n / f.Channels))
			select {
			case pieces <- p:
			case <-done:
				return
			}
			if p.err != nil {
				return
			}
		}
	}()
	chunks := make(chan []int16, 4)
	spare := make(chan []int16, 6)
	var readErr error
	go func() {
		defer close(chunks)
		send := func(c []int16) bool {
			var dst []int16
			select {
			case dst = <-spare:
			default:
			}
			select {
			case chunks <- append(dst[:0], c...):
				return true
			case <-done:
				return false
			}
		}
		for p := range pieces {
			if p.err != nil && !errors.Is(p.err, io.EOF) {
				readErr = p.err
				return
			}
			var c []int16
			if p.i16 != nil {
				c = st.convertMono16(p.i16)
			} else {
				c = st.convert(p.f32)
			}
			if len(c) > 0 && !send(c) {
				return
			}
			if p.err != nil {
				break
			}
			free <- decoded{i16: p.i16, f32: p.f32}
			if st.done && earlyStop {
				enough.Store(true)
				break
			}
		}
		if c := st.drain(); len(c) > 0 {
			send(c)
		}
	}()
	for c := range chunks {
		st.core.consume(c)
		select {
		case spare <- c:
		default:
		}
	}
	if readErr != nil {
		return nil, readErr
	}
	items, err := st.items()
	if err != nil {
		return nil, err
	}
	total := f.Frames
	if total < 0 || opt.HashPCM {
		total = frames.Load()
	}
	res := &Result{Items: items, Duration: float64(total) / float64(f.SampleRate)}
	if opt.HashPCM {
		copy(res.PCMHash[:], h.Sum(nil))
	}
	return res, nil
}
