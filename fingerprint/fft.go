package fingerprint

import (
	"math"
	"math/bits"
)

// realFFT computes the spectrum of a real frame of size n (a power of
// two) through one complex FFT of size n/2, the usual packing trick. It is
// several times faster than a general-purpose FFT for this one size, and
// the fingerprint spends most of its time here.
//
// The complex FFT is an in-place decimation in time on bit-reversed
// input, with real and imaginary parts in separate slices. It runs radix-4
// stages (half the passes over memory of radix 2, and three twiddle
// multiplications per four points instead of four), each reading its
// twiddles from contiguous tables, and one radix-2 stage at the end when
// the size is not a power of four.
type realFFT struct {
	n      int
	rev    []int32 // bit reversal of n/2
	stages []fftStage
	last   *fftStage // a lone radix-2 stage when log2(n/2) is odd
	postRe []float64 // e^{-2πik/n}, k < n/2
	postIm []float64
	re, im []float64
}

// fftStage holds the twiddles of the radix-4 stage that merges four
// blocks of size l into one of size 4l: w1[k], w2[k], w3[k] are W^k,
// W^2k, W^3k with W = e^{-2πi/4l}, k < l. A radix-2 stage merging two
// blocks of size l uses only w1 = e^{-2πik/2l}.
type fftStage struct {
	l          int
	w1re, w1im []float64
	w2re, w2im []float64
	w3re, w3im []float64
}

func newRealFFT(n int) *realFFT {
	m := n / 2
	f := &realFFT{n: n, rev: make([]int32, m), postRe: make([]float64, m), postIm: make([]float64, m),
		re: make([]float64, m), im: make([]float64, m)}
	shift := 64 - bits.Len(uint(m-1))
	for i := range f.rev {
		f.rev[i] = int32(bits.Reverse64(uint64(i)) >> shift)
	}
	twiddles := func(l, step, period int) ([]float64, []float64) {
		re, im := make([]float64, l), make([]float64, l)
		for k := range re {
			im[k], re[k] = math.Sincos(-2 * math.Pi * float64(k*step) / float64(period))
		}
		return re, im
	}
	// The first pair of stages (blocks of 1 into blocks of 4) needs no
	// twiddles; it is done while loading.
	l := 4
	for ; 4*l <= m; l *= 4 {
		s := fftStage{l: l}
		s.w1re, s.w1im = twiddles(l, 1, 4*l)
		s.w2re, s.w2im = twiddles(l, 2, 4*l)
		s.w3re, s.w3im = twiddles(l, 3, 4*l)
		f.stages = append(f.stages, s)
	}
	if 2*l == m {
		s := fftStage{l: l}
		s.w1re, s.w1im = twiddles(l, 1, 2*l)
		f.last = &s
	}
	for k := range f.postRe {
		f.postIm[k], f.postRe[k] = math.Sincos(-2 * math.Pi * float64(k) / float64(n))
	}
	return f
}

// power writes |X[k]|² for k in [lo, hi) of the real input x·w (x
// windowed by w, sample by sample) into out. Windowing while loading
// saves a pass over the frame.
func (f *realFFT) power(x []int16, w []float64, out []float64, lo, hi int) {
	m := f.n / 2
	re, im := f.re[:m], f.im[:m]
	x, w = x[:2*m], w[:2*m]
	// Load in bit-reversed order and do the first two stages: with
	// bit-reversed input, elements rev[4j..4j+3] form one 4-point DFT.
	rev := f.rev[:m]
	for j := 0; j+4 <= m; j += 4 {
		r := rev[j : j+4 : j+4]
		// Slot j holds packed sample rev[j], that is x[2rev[j]] + i·x[2rev[j]+1], windowed.
		a, b, c, d := int(r[0]), int(r[1]), int(r[2]), int(r[3])
		ar, ai := float64(x[2*a])*w[2*a], float64(x[2*a+1])*w[2*a+1]
		br, bi := float64(x[2*b])*w[2*b], float64(x[2*b+1])*w[2*b+1]
		cr, ci := float64(x[2*c])*w[2*c], float64(x[2*c+1])*w[2*c+1]
		dr, di := float64(x[2*d])*w[2*d], float64(x[2*d+1])*w[2*d+1]
		// Stage 1: (a, b) and (c, d) butterflies with twiddle 1.
		s0r, s0i := ar+br, ai+bi
		s1r, s1i := ar-br, ai-bi
		s2r, s2i := cr+dr, ci+di
		s3r, s3i := cr-dr, ci-di
		// Stage 2: twiddles 1 and -i.
		re[j], im[j] = s0r+s2r, s0i+s2i
		re[j+2], im[j+2] = s0r-s2r, s0i-s2i
		re[j+1], im[j+1] = s1r+s3i, s1i-s3r
		re[j+3], im[j+3] = s1r-s3i, s1i+s3r
	}
	for si := range f.stages {
		s := &f.stages[si]
		l := s.l
		w1re, w1im := s.w1re[:l], s.w1im[:l]
		w2re, w2im := s.w2re[:l], s.w2im[:l]
		w3re, w3im := s.w3re[:l], s.w3im[:l]
		for start := 0; start < m; start += 4 * l {
			// With bit-reversed input the four blocks hold the sub-DFTs
			// of the samples ≡ 0, 2, 1, 3 (mod 4), in that order.
			ar, ai := re[start:start+l], im[start:start+l]
			br, bi := re[start+l:start+2*l], im[start+l:start+2*l]
			cr, ci := re[start+2*l:start+3*l], im[start+2*l:start+3*l]
			dr, di := re[start+3*l:start+4*l], im[start+3*l:start+4*l]
			for k := 0; k < l; k++ {
				t1r := cr[k]*w1re[k] - ci[k]*w1im[k]
				t1i := cr[k]*w1im[k] + ci[k]*w1re[k]
				t2r := br[k]*w2re[k] - bi[k]*w2im[k]
				t2i := br[k]*w2im[k] + bi[k]*w2re[k]
				t3r := dr[k]*w3re[k] - di[k]*w3im[k]
				t3i := dr[k]*w3im[k] + di[k]*w3re[k]
				u0r, u0i := ar[k]+t2r, ai[k]+t2i
				u1r, u1i := ar[k]-t2r, ai[k]-t2i
				u2r, u2i := t1r+t3r, t1i+t3i
				u3r, u3i := t1r-t3r, t1i-t3i
				ar[k], ai[k] = u0r+u2r, u0i+u2i
				cr[k], ci[k] = u0r-u2r, u0i-u2i
				br[k], bi[k] = u1r+u3i, u1i-u3r // u1 - i·u3
				dr[k], di[k] = u1r-u3i, u1i+u3r // u1 + i·u3
			}
		}
	}
	if s := f.last; s != nil {
		l := s.l
		ar, ai := re[:l], im[:l]
		br, bi := re[l:2*l], im[l:2*l]
		wr, wi := s.w1re[:l], s.w1im[:l]
		for k := 0; k < l; k++ {
			tr := br[k]*wr[k] - bi[k]*wi[k]
			ti := br[k]*wi[k] + bi[k]*wr[k]
			br[k], bi[k] = ar[k]-tr, ai[k]-ti
			ar[k], ai[k] = ar[k]+tr, ai[k]+ti
		}
	}
	// Unpack the real spectrum: X[k] = E[k] + e^{-2πik/n}·O[k], with E and
	// O the spectra of the even and odd samples, from Z[k] and conj(Z[m-k]).
	for k := lo; k < hi; k++ {
		if k == 0 || k == m {
			// DC and Nyquist: E = Re Z[0], O = Im Z[0], both real.
			v := re[0] + im[0]
			if k == m {
				v = re[0] - im[0]
			}
			out[k] = v * v
			continue
		}
		zr, zi := re[k], im[k]
		cr, ci := re[m-k], -im[m-k]
		er, ei := (zr+cr)*0.5, (zi+ci)*0.5
		// odd = (z - conj) * (-0.5i)
		or, oi := (zi-ci)*0.5, -(zr-cr)*0.5
		pr, pi := f.postRe[k], f.postIm[k]
		vr := er + pr*or - pi*oi
		vi := ei + pr*oi + pi*or
		out[k] = vr*vr + vi*vi
	}
}
