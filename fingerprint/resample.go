package fingerprint

import "math"

// resampler is a polyphase windowed-sinc resampler with the arithmetic of
// FFmpeg's resamplers (Chromaprint's bundled av_resample and
// libswresample's SWR engine): Kaiser window (beta 9), taps normalised per
// phase and, for 16-bit work, rounded to Q15; the start of the stream is
// mirrored so the first output is centred on the first input sample.
type resampler struct {
	taps    int   // filter length
	phases  int64 // number of filter phases
	alloc   int   // stride between phases in bank
	bank16  []int16
	bankF   []float32
	linear  bool
	srcIncr int64
	div     int64 // whole phase steps per output
	mod     int64 // fractional phase step per output, over srcIncr

	index int64 // position of the next output in phase units, relative to buf[0]
	frac  int64

	buf     []int16
	bufF    []float32
	float   bool
	started bool
	// reflectTail mirrors the last samples at Flush as libswresample does;
	// Chromaprint's own resampler drops the tail instead.
	reflectTail bool
	// sym, when the filter has a single phase that is symmetric about its
	// centre tap, holds taps centre..0 so the sum needs half the
	// multiplications.
	sym []int16
	// packed is packPairs' scratch for the symmetric whole-step path, and
	// symTaps its filter laid out by pairTaps.
	packed  []int64
	symTaps []int64
}

// resamplerConfig selects the variant.
type resamplerConfig struct {
	inRate, outRate int
	filterSize      int
	phaseShift      int
	linear          bool
	cutoff          float64
	exactRational   bool // libswresample's default: use out/in reduced phases when they fit
	float           bool // float32 arithmetic (swr's FLTP path) instead of Q15
	reflectTail     bool
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func newResampler(cfg resamplerConfig) *resampler {
	factor := math.Min(float64(cfg.outRate)*cfg.cutoff/float64(cfg.inRate), 1.0)
	phases := int64(1) << cfg.phaseShift
	taps := max(int(math.Ceil(float64(cfg.filterSize)/factor)), 1)
	if cfg.exactRational {
		if taps > 1 {
			taps = (taps + 1) &^ 1
		}
		g := gcd(int64(cfg.outRate), int64(cfg.inRate))
		if exact := int64(cfg.outRate) / g; exact <= phases {
			phases = exact
		}
	}
	r := &resampler{taps: taps, phases: phases, linear: cfg.linear, float: cfg.float, reflectTail: cfg.reflectTail}
	r.alloc = taps
	if cfg.exactRational {
		r.alloc = (taps + 7) &^ 7
	}
	r.buildBank(factor, cfg.exactRational)
	r.sym = symmetricHalf(r.bank16[:r.taps], r.phases)
	if r.sym != nil {
		r.symTaps = pairTaps(r.sym, r.bank16[r.taps-1])
	}

	// src_incr/dst_incr = outRate/(inRate*phases), reduced.
	num, den := int64(cfg.outRate), int64(cfg.inRate)*phases
	g := gcd(num, den)
	src, dst := num/g, den/g
	if cfg.exactRational {
		for dst < 1<<20 && src < 1<<20 {
			dst, src = dst*2, src*2
		}
	}
	r.srcIncr, r.div, r.mod = src, dst/src, dst%src
	r.index = -phases * int64((taps-1)/2)
	return r
}

// buildBank computes phases+1 filters; the extra one (the first shifted by
// a tap) serves linear interpolation past the last phase.
func (r *resampler) buildBank(factor float64, symmetric bool) {
	n, pc := r.taps, int(r.phases)
	center := (n - 1) / 2
	r.bank16 = make([]int16, r.alloc*(pc+1))
	r.bankF = make([]float32, r.alloc*(pc+1))
	tab := make([]float64, n)
	norm := 0.0
	phasesToBuild := pc
	if symmetric && pc%2 == 0 {
		phasesToBuild = pc/2 + 1
	}
	for ph := 0; ph < phasesToBuild; ph++ {
		// sin(x) for factor 1 comes from one value per phase with
		// alternating sign, as FFmpeg computes it.
		s := 0.0
		if factor == 1.0 {
			s = math.Sin(math.Pi * float64(ph) / float64(pc))
			if center&1 == 0 {
				s = -s
			}
		}
		// libswresample normalises every phase by the sum of phase 0;
		// Chromaprint's resampler normalises each phase by its own sum.
		if !symmetric {
			norm = 0
		}
		for i := 0; i < n; i++ {
			x := math.Pi * (float64(i-center) - float64(ph)/float64(pc)) * factor
			var y float64
			switch {
			case x == 0:
				y = 1
			case factor == 1.0:
				y = s / x
			default:
				y = math.Sin(x) / x
			}
			w := 2.0 * x / (factor * float64(n) * math.Pi)
			y *= besselI0(9 * math.Sqrt(math.Max(1-w*w, 0)))
			tab[i] = y
			s = -s
			if !symmetric || ph == 0 {
				norm += y
			}
		}
		for i := 0; i < n; i++ {
			r.bank16[ph*r.alloc+i] = clip16(int64(math.RoundToEven(float64(float32(tab[i] * 32768 / norm)))))
			r.bankF[ph*r.alloc+i] = float32(tab[i] / norm)
		}
		if symmetric && pc%2 == 0 {
			for i := 0; i < n; i++ {
				r.bank16[(pc-ph)*r.alloc+n-1-i] = r.bank16[ph*r.alloc+i]
				r.bankF[(pc-ph)*r.alloc+n-1-i] = r.bankF[ph*r.alloc+i]
			}
		}
	}
	// Phase pc is phase 0 advanced by one tap.
	copy(r.bank16[pc*r.alloc+1:], r.bank16[:r.alloc-1])
	r.bank16[pc*r.alloc] = r.bank16[r.alloc-1]
	copy(r.bankF[pc*r.alloc+1:], r.bankF[:r.alloc-1])
	r.bankF[pc*r.alloc] = r.bankF[r.alloc-1]
}

// besselI0 is the zeroth-order modified Bessel function of the first kind,
// summed to full double precision.
func besselI0(x float64) float64 {
	x = x * x / 4
	v, t := 1.0, 1.0
	for i := 1.0; ; i++ {
		t *= x / (i * i)
		nv := v + t
		if nv == v {
			return v
		}
		v = nv
	}
}

func clip16(v int64) int16 {
	if v > math.MaxInt16 {
		return math.MaxInt16
	}
	if v < math.MinInt16 {
		return math.MinInt16
	}
	return int16(v)
}

// start mirrors the first samples in front of the stream once enough have
// arrived (or at flush): x[-n] = x[n].
func (r *resampler) start() {
	r.started = true
	n := r.taps
	if r.float {
		pre := make([]float32, 0, n+len(r.bufF))
		for k := n; k >= 1; k-- {
			pre = append(pre, r.bufF[min(k, len(r.bufF)-1)])
		}
		r.bufF = append(pre, r.bufF...)
	} else {
		pre := make([]int16, 0, n+len(r.buf))
		for k := n; k >= 1; k-- {
			pre = append(pre, r.buf[min(k, len(r.buf)-1)])
		}
		r.buf = append(pre, r.buf...)
	}
	r.index += int64(n) * r.phases
}

// writeInt16 appends mono samples and returns the outputs now computable.
func (r *resampler) writeInt16(in []int16, out []int16) []int16 {
	r.buf = append(r.buf, in...)
	return r.run(out, nil)
}

// writeFloat is writeInt16 for the float path; outputs are float32.
func (r *resampler) writeFloat(in []float32, out []float32) []float32 {
	r.bufF = append(r.bufF, in...)
	_, o := r.runF(out)
	return o
}

func (r *resampler) run(out []int16, _ []float32) []int16 {
	if !r.started {
		if len(r.buf) < r.taps+1 {
			return out
		}
		r.start()
	}
	n := int64(r.taps)
	if r.sym != nil && r.mod == 0 {
		// One symmetric phase and a whole step (44.1 → 11.025 kHz and
		// other integer ratios): no phase arithmetic per output.
		last := r.bank16[r.taps-1]
		ip := r.index
		if ip+r.div+n <= int64(len(r.buf)) {
			r.packed = packPairs(r.packed, r.buf[ip:], int(r.div))
			p := r.packed
			for j := int64(0); j+n <= int64(len(p)); j += 2 * r.div {
				a, b := dotSymPacked(p[j:j+n], r.symTaps)
				out = append(out, clip16((a+1<<14)>>15), clip16((b+1<<14)>>15))
				ip += 2 * r.div
			}
		}
		for ; ip+n <= int64(len(r.buf)); ip += r.div {
			val, val2 := dotSym16(r.buf[ip:ip+n], r.sym, last)
			out = append(out, clip16((int64(val)+int64(val2)+1<<14)>>15))
		}
		r.index = ip
		r.compact()
		return out
	}
	for {
		ip, ph := r.index/r.phases, r.index%r.phases
		if ip+n > int64(len(r.buf)) {
			break
		}
		src := r.buf[ip : ip+n]
		f := r.bank16[int(ph)*r.alloc : int(ph)*r.alloc+r.taps]
		var val, val2 int32
		if r.sym != nil {
			val, val2 = dotSym16(src, r.sym, f[r.taps-1])
		} else {
			val, val2 = dot16(src, f)
		}
		v := int64(val) + int64(val2)
		if r.linear && (r.frac != 0 || r.mod != 0) {
			f2 := r.bank16[int(ph)*r.alloc+r.alloc : int(ph)*r.alloc+r.alloc+r.taps]
			var v2 int32
			for i := range f2 {
				v2 += int32(src[i]) * int32(f2[i])
			}
			v += (int64(v2) - v) * r.frac / r.srcIncr
		}
		out = append(out, clip16((v+1<<14)>>15))
		r.advance()
	}
	r.compact()
	return out
}

func (r *resampler) runF(out []float32) (int, []float32) {
	if !r.started {
		if len(r.bufF) < r.taps+1 {
			return 0, out
		}
		r.start()
	}
	n := int64(r.taps)
	for {
		ip, ph := r.index/r.phases, r.index%r.phases
		if ip+n > int64(len(r.bufF)) {
			break
		}
		src := r.bufF[ip : ip+n]
		f := r.bankF[int(ph)*r.alloc : int(ph)*r.alloc+r.taps]
		var val, val2 float32
		i := 0
		for ; i+1 < len(f); i += 2 {
			val += src[i] * f[i]
			val2 += src[i+1] * f[i+1]
		}
		if i < len(f) {
			val += src[i] * f[i]
		}
		v := val + val2
		if r.linear && (r.frac != 0 || r.mod != 0) {
			f2 := r.bankF[int(ph)*r.alloc+r.alloc : int(ph)*r.alloc+r.alloc+r.taps]
			var v2 float32
			for i := range f2 {
				v2 += src[i] * f2[i]
			}
			v += (v2 - v) * float32(r.frac) / float32(r.srcIncr)
		}
		out = append(out, v)
		r.advance()
	}
	r.compact()
	return 0, out
}

func (r *resampler) advance() {
	r.frac += r.mod
	r.index += r.div
	if r.frac >= r.srcIncr {
		r.frac -= r.srcIncr
		r.index++
	}
}

// compact drops input that no future output needs.
func (r *resampler) compact() {
	drop := r.index / r.phases
	if drop < 4096 {
		return
	}
	if r.float {
		r.bufF = append(r.bufF[:0], r.bufF[drop:]...)
	} else {
		r.buf = append(r.buf[:0], r.buf[drop:]...)
	}
	r.index -= drop * r.phases
}

// flushInt16 ends the stream and returns the last outputs.
func (r *resampler) flushInt16(out []int16) []int16 {
	if len(r.buf) == 0 {
		return out
	}
	if !r.started {
		r.start()
	}
	if r.reflectTail {
		r.buf = reflectTail(r.buf, r.index/r.phases, r.taps)
	}
	return r.run(out, nil)
}

// flushFloat is flushInt16 for the float path.
func (r *resampler) flushFloat(out []float32) []float32 {
	if len(r.bufF) == 0 {
		return out
	}
	if !r.started {
		r.start()
	}
	if r.reflectTail {
		r.bufF = reflectTail(r.bufF, r.index/r.phases, r.taps)
	}
	_, o := r.runF(out)
	return o
}

// reflectTail appends the last unconsumed samples mirrored, as many as
// half the filter, the way libswresample drains its buffer.
func reflectTail[T int16 | float32](buf []T, consumed int64, taps int) []T {
	count := len(buf) - int(max(consumed, 0))
	n := (min(count, taps) + 1) / 2
	end := len(buf)
	for j := 0; j < n; j++ {
		buf = append(buf, buf[end-j-1])
	}
	return buf
}
