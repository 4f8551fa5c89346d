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
		if c.rs == nil {
			return append(out, c.mono16...)
		}
		return c.rs.writeInt16(c.mono16, out)
	}
	c.monoF = downmixFloat(c.monoF[:0], in, c.channels)
	if c.rs == nil {
		return appendS16(out, c.monoF)
	}
	c.outF = c.rs.writeFloat(c.monoF, c.outF[:0])
	return appendS16(out, c.outF)
}

// writeInt16 is write for 16-bit samples as stored; only the integer path
// takes them.
func (c *converter) writeInt16(in []int16, out []int16) []int16 {
	switch c.channels {
	case 1:
		c.mono16 = append(c.mono16[:0], in...)
	case 2:
		// The Q15 stereo mix of downmixInt16, (16384·l + 16384·r + 16384)>>15.
		c.mono16 = c.mono16[:0]
		for i := 0; i+1 < len(in); i += 2 {
			c.mono16 = append(c.mono16, int16((int32(in[i])+int32(in[i+1])+1)>>1))
		}
	default:
		c.monoF = c.monoF[:0]
		for _, v := range in {
			c.monoF = append(c.monoF, float32(v)/32768)
		}
		c.mono16 = downmixInt16(c.mono16[:0], c.monoF, c.channels)
	}
	if c.rs == nil {
		return append(out, c.mono16...)
	}
	return c.rs.writeInt16(c.mono16, out)
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
		// More channels: an equal-weight mix. libswresample's surround
		// matrix differs here; fpcalc agreement is only claimed for mono
		// and stereo.
		for i := 0; i+ch <= len(in); i += ch {
			s := float32(0)
			for c := 0; c < ch; c++ {
				s += in[i+c]
			}
			dst = append(dst, clip16(int64(math.RoundToEven(float64(s/float32(ch)*32768)))))
		}
	}
	return dst
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
