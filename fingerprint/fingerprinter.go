package fingerprint

import (
	music "github.com/openmusic/music"
)

// Algorithm is the identifier of Chromaprint's default algorithm, written
// as the first byte of a compressed fingerprint.
const Algorithm = 1

// Fingerprinter computes a fingerprint from 16-bit PCM fed in pieces, with
// the semantics of Chromaprint's C API (chromaprint_start, _feed,
// _finish): channels are averaged with integer division and the audio is
// resampled to 11025 Hz by Chromaprint's own resampler. Use FromDecoder for
// fpcalc-compatible results from a file.
type Fingerprinter struct {
	channels int
	rate     int
	frames   int64 // input frames fed
	rs       *resampler
	core     *core
	mono     []int16
	out      []int16
	started  bool
}

// NewFingerprinter returns a Fingerprinter; call Start before Feed.
func NewFingerprinter() *Fingerprinter { return &Fingerprinter{} }

// minInputRate is the lowest rate Chromaprint accepts.
const minInputRate = 1000

// Start begins a new fingerprint of audio at sampleRate with interleaved
// channels.
func (f *Fingerprinter) Start(sampleRate, channels int) error {
	if channels < 1 || channels > 8 {
		return music.Errorf(music.EINVALID, "fingerprint: unsupported channel count %d (want 1..8)", channels)
	}
	if sampleRate < minInputRate || sampleRate > 384000 {
		return music.Errorf(music.EINVALID, "fingerprint: unsupported sample rate %d Hz", sampleRate)
	}
	f.channels, f.rate, f.frames = channels, sampleRate, 0
	f.core = newCore()
	f.rs = nil
	if sampleRate != SampleRate {
		f.rs = newResampler(resamplerConfig{
			inRate: sampleRate, outRate: SampleRate,
			filterSize: 16, phaseShift: 8, cutoff: 0.8,
		})
	}
	f.started = true
	return nil
}

// Feed adds interleaved samples; len(samples) must be a multiple of the
// channel count.
func (f *Fingerprinter) Feed(samples []int16) error {
	if !f.started {
		return music.Errorf(music.EINVALID, "fingerprint: Feed before Start")
	}
	if len(samples)%f.channels != 0 {
		return music.Errorf(music.EINVALID, "fingerprint: %d samples is not a whole number of %d-channel frames", len(samples), f.channels)
	}
	f.frames += int64(len(samples) / f.channels)
	f.mono = downmixTrunc(f.mono[:0], samples, f.channels)
	if f.rs == nil {
		f.core.consume(f.mono)
		return nil
	}
	f.out = f.rs.writeInt16(f.mono, f.out[:0])
	f.core.consume(f.out)
	return nil
}

// Finish flushes the pipeline and returns the raw fingerprint. Audio too
// short for one item gives an EINVALID error.
func (f *Fingerprinter) Finish() ([]uint32, error) {
	if !f.started {
		return nil, music.Errorf(music.EINVALID, "fingerprint: Finish before Start")
	}
	f.started = false
	if f.rs != nil {
		f.out = f.rs.flushInt16(f.out[:0])
		f.core.consume(f.out)
	}
	if len(f.core.items) == 0 {
		return nil, errTooShort(float64(f.frames) / float64(f.rate))
	}
	return f.core.items, nil
}

// downmixTrunc averages channels with C integer division, as Chromaprint's
// audio processor does.
func downmixTrunc(dst, in []int16, ch int) []int16 {
	if ch == 1 {
		return append(dst, in...)
	}
	for i := 0; i+ch <= len(in); i += ch {
		s := 0
		for c := 0; c < ch; c++ {
			s += int(in[i+c])
		}
		dst = append(dst, int16(s/ch))
	}
	return dst
}

// MinDuration is the shortest audio that yields one item: the frames the
// chroma filter and the widest classifier need, in seconds.
const MinDuration = float64(frameSize+(len(chromaFilter)-1+maxFilterWidth-1)*frameHop) / SampleRate

func errTooShort(seconds float64) error {
	return music.Errorf(music.EINVALID, "fingerprint: audio too short: need at least %.2f s, got %.2f s", MinDuration, seconds)
}
