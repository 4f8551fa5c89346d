package fingerprint

import "math"

// converter turns decoded audio into what fpcalc's fingerprinter sees:
// mono, signed 16-bit, 11025 Hz, computed the way libswresample does in
// Chromaprint's "compatible mode" (SWR engine, filter size 16, phase shift
// 8, linear interpolation, cutoff 0.8, exact rational phases).
//
// libswresample works in 16-bit integers when the source samples are at
// most 16 bits (16-bit WAV or FLAC) and in float32 otherwise (24-bit,
// float and lossy sources); the converter follows the same split so that
// lossless 16-bit masters give bit-identical input to the fingerprinter.
type converter struct {
	channels int
	integer  bool
	rs       *resampler

	mono16 []int16
	monoF  []float32
	outF   []float32
}

// newConverter prepares a conversion from rate Hz and channels.
// integer selects the 16-bit path.
func newConverter(rate, channels int, integer bool) *converter {
	c := &converter{channels: channels, integer: integer}
	if rate != SampleRate {
		c.rs = newResampler(resamplerConfig{
			inRate: rate, outRate: SampleRate,
			filterSize: 16, phaseShift: 8, linear: true, cutoff: 0.8,
			exactRational: true, float: !integer, reflectTail: true,
		})
	}
	return c
}

// write converts interleaved samples in [-1, 1] and appends the 11025 Hz
// mono output to out.
func (c *converter) write(in []float32, out []int16) []int16 {
	if c.integer {
		c.mono16 = downmixInt16(c.mono16[:0], in, c.channels)
		return c.resampleInt16(c.mono16, out)
	}
	c.monoF = downmixFloat(c.monoF[:0], in, c.channels)
	if c.rs == nil {
		return appendS16(out, c.monoF)
	}
	c.outF = c.rs.writeFloat(c.monoF, c.outF[:0])
	return appendS16(out, c.outF)
}

// mixInt16 mixes interleaved 16-bit samples (as stored, the integer
// path only) to mono the way write does, in place, and returns the mono
// samples.
func (c *converter) mixInt16(in []int16) []int16 {
	ch := c.channels
	mono := in[:0] // frame i is read before mono sample i (at index ≤ i·ch) is written
	switch ch {
	case 1:
		return in
	case 2:
		// downmixInt16's Q15 stereo mix, (16384·l + 16384·r + 16384)>>15.
		mono = in[:len(in)/2]
		for i := range mono {
			mono[i] = int16((int32(in[2*i]) + int32(in[2*i+1]) + 1) >> 1)
		}
	default:
		for i := 0; i+ch <= len(in); i += ch {
			mono = append(mono, mixEqual(in[i:i+ch], 1.0/32768))
		}
	}
	return mono
}

// resampleInt16 appends the 11025 Hz output for 16-bit mono samples.
func (c *converter) resampleInt16(mono, out []int16) []int16 {
	if c.rs == nil {
		return append(out, mono...)
	}
	return c.rs.writeInt16(mono, out)
}

// flush drains the resampler at the end of the stream.
func (c *converter) flush(out []int16) []int16 {
	if c.rs == nil {
		return out
	}
	if c.integer {
		return c.rs.flushInt16(out)
	}
	c.outF = c.rs.flushFloat(c.outF[:0])
	return appendS16(out, c.outF)
}

// downmixInt16 mixes to mono in Q15 as libswresample does for 16-bit
// audio: stereo gets 0.5 per channel with round-half-up, (L+R+1)>>1.
func downmixInt16(dst []int16, in []float32, ch int) []int16 {
	switch ch {
	case 1:
		for _, v := range in {
			dst = append(dst, int16(v*32768))
		}
	case 2:
		for i := 0; i+1 < len(in); i += 2 {
			l, r := int32(in[i]*32768), int32(in[i+1]*32768)
			dst = append(dst, int16((16384*l+16384*r+16384)>>15))
		}
	default:
		for i := 0; i+ch <= len(in); i += ch {
			dst = append(dst, mixEqual(in[i:i+ch], 1))
		}
	}
	return dst
}

// mixEqual mixes one frame of more than two channels with equal weights
// into a 16-bit sample, each sample read as float32(v)·scale.
// libswresample's surround matrix differs here; fpcalc agreement is only
// claimed for mono and stereo.
func mixEqual[T int16 | float32](frame []T, scale float32) int16 {
	s := float32(0)
	for _, v := range frame {
		s += float32(v) * scale
	}
	return clip16(int64(math.RoundToEven(float64(s / float32(len(frame)) * 32768))))
}

// downmixFloat is the float32 mix: 0.5·L + 0.5·R for stereo.
func downmixFloat(dst []float32, in []float32, ch int) []float32 {
	switch ch {
	case 1:
		return append(dst, in...)
	case 2:
		for i := 0; i+1 < len(in); i += 2 {
			dst = append(dst, 0.5*in[i]+0.5*in[i+1])
		}
	default:
		for i := 0; i+ch <= len(in); i += ch {
			s := float32(0)
			for c := 0; c < ch; c++ {
				s += in[i+c]
			}
			dst = append(dst, s/float32(ch))
		}
	}
	return dst
}

// appendS16 converts float samples to 16-bit with round-to-nearest-even
// and saturation, as lrintf-based conversion does.
func appendS16(dst []int16, in []float32) []int16 {
	for _, v := range in {
		dst = append(dst, clip16(int64(math.RoundToEven(float64(v*32768)))))
	}
	return dst
}
