package fingerprint

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

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
	// Two stages on two goroutines: decoding and conversion here, the
	// spectral analysis in the consumer, connected by a small channel of
	// recycled buffers.
	chunks := make(chan []int16, 4)
	free := make(chan []int16, 6)
	var frames int64
	var readErr error
	go func() {
		defer close(chunks)
		buf := make([]float32, 8192*f.Channels)
		raw := make([]byte, 0, len(buf)*4)
		send := func(c []int16) {
			var dst []int16
			select {
			case dst = <-free:
			default:
			}
			chunks <- append(dst[:0], c...)
		}
		for {
			if err := ctx.Err(); err != nil {
				readErr = err
				return
			}
			n, err := d.Read(buf)
			frames += int64(n / f.Channels)
			if n > 0 && opt.HashPCM {
				raw = raw[:0]
				for _, v := range buf[:n] {
					raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
				}
				h.Write(raw)
			}
			if c := st.convert(buf[:n]); len(c) > 0 {
				send(c)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				readErr = err
				return
			}
			// Stop early when nothing else is needed from the stream.
			if st.done && !opt.HashPCM && f.Frames >= 0 {
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
		case free <- c:
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
		total = frames
	}
	res := &Result{Items: items, Duration: float64(total) / float64(f.SampleRate)}
	if opt.HashPCM {
		copy(res.PCMHash[:], h.Sum(nil))
	}
	return res, nil
}
