package fingerprint

import (
	"math"

	music "github.com/openmusic/music"
)

// Stream fingerprints interleaved float PCM fed in pieces, converting it
// the way fpcalc does (see converter). FromDecoder is built on it; use it
// directly for audio that is already in memory, such as an uploaded clip.
type Stream struct {
	conv  *converter
	core  *core
	limit int64
	fed   int64
	out   []int16
	done  bool
	ch    int
}

// NewStream prepares a fingerprint of audio at rate Hz with channels
// interleaved channels. bitsPerSample is the source's sample size (0 for
// lossy or float sources); 16 or less selects the integer conversion path
// that fpcalc uses for such sources. maxSeconds limits the fingerprinted
// audio (0: all).
func NewStream(rate, channels, bitsPerSample int, maxSeconds float64) (*Stream, error) {
	if channels < 1 || channels > 8 {
		return nil, music.Errorf(music.EINVALID, "fingerprint: unsupported channel count %d (want 1..8)", channels)
	}
	if rate < minInputRate || rate > 384000 {
		return nil, music.Errorf(music.EINVALID, "fingerprint: unsupported sample rate %d Hz", rate)
	}
	s := &Stream{
		conv:  newConverter(rate, channels, bitsPerSample > 0 && bitsPerSample <= 16),
		core:  newCore(),
		limit: math.MaxInt64,
		ch:    channels,
	}
	if maxSeconds > 0 {
		s.limit = int64(maxSeconds * SampleRate)
	}
	return s, nil
}

// Write adds interleaved samples in [-1, 1]. It reports whether the
// length limit has been reached (further audio is ignored).
func (s *Stream) Write(samples []float32) (full bool) {
	if chunk := s.convert(samples); len(chunk) > 0 {
		s.core.consume(chunk)
	}
	return s.done
}

// convert runs the conversion stage and returns the 11025 Hz samples to
// fingerprint next (valid until the next call), applying the limit.
func (s *Stream) convert(samples []float32) []int16 {
	if s.done {
		return nil
	}
	s.out = s.conv.write(samples[:len(samples)/s.ch*s.ch], s.out[:0])
	return s.limitOut()
}

// convertMono16 is convert for 16-bit mono samples that the converter's
// mixInt16 produced (integer path only).
func (s *Stream) convertMono16(mono []int16) []int16 {
	if s.done {
		return nil
	}
	s.out = s.conv.resampleInt16(mono, s.out[:0])
	return s.limitOut()
}

// drain flushes the converter at the end of the stream.
func (s *Stream) drain() []int16 {
	if s.done {
		return nil
	}
	s.out = s.conv.flush(s.out[:0])
	chunk := s.limitOut()
	s.done = true
	return chunk
}

func (s *Stream) limitOut() []int16 {
	if rest := s.limit - s.fed; int64(len(s.out)) >= rest {
		s.out, s.done = s.out[:rest], true
	}
	s.fed += int64(len(s.out))
	return s.out
}

// Finish drains the converter and returns the raw fingerprint. Audio too
// short for one item is an EINVALID error.
func (s *Stream) Finish() ([]uint32, error) {
	if chunk := s.drain(); len(chunk) > 0 {
		s.core.consume(chunk)
	}
	return s.items()
}

// items returns the fingerprint once all audio is consumed.
func (s *Stream) items() ([]uint32, error) {
	if len(s.core.items) == 0 {
		return nil, errTooShort(float64(s.fed) / SampleRate)
	}
	return s.core.items, nil
}
