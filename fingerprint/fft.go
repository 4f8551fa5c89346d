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
// input, with real and imaginary parts in separate slices. Its radix-2
// stages are taken two at a time (radix 2², a quarter of the passes over
// memory of plain radix 2), and each pair of stages reads its twiddles
// from a contiguous table.
type realFFT struct {
	n      int
	rev    []int32 // bit reversal of n/2
	stages []fftStage
	last   *fftStage // a lone radix-2 stage when log2(n/2) is odd
	postRe []float64 // e^{-2πik/n}, k < n/2
	postIm []float64
	re, im []float64
}

// fftStage holds the twiddles of the stage pair that merges blocks of
// size l into blocks of size 4l: w2[k] = e^{-2πik/2l}, w4[k] = e^{-2πik/4l}
// for k < l. A lone radix-2 stage uses only w2.
type fftStage struct {
	l          int
	w2re, w2im []float64
	w4re, w4im []float64
}

func newRealFFT(n int) *realFFT {
	m := n / 2
	f := &realFFT{n: n, rev: make([]int32, m), postRe: make([]float64, m), postIm: make([]float64, m),
		re: make([]float64, m), im: make([]float64, m)}
	shift := 64 - bits.Len(uint(m-1))
	for i := range f.rev {
		f.rev[i] = int32(bits.Reverse64(uint64(i)) >> shift)
	}
	twiddles := func(l, period int) ([]float64, []float64) {
		re, im := make([]float64, l), make([]float64, l)
		for k := range re {
			im[k], re[k] = math.Sincos(-2 * math.Pi * float64(k) / float64(period))
		}
		return re, im
	}
	// The first pair of stages (blocks of 1 into blocks of 4) needs no
	// twiddles; it is done while loading.
	l := 4
	for ; 4*l <= m; l *= 4 {
		s := fftStage{l: l}
		s.w2re, s.w2im = twiddles(l, 2*l)
		s.w4re, s.w4im = twiddles(l, 4*l)
		f.stages = append(f.stages, s)
	}
	if 2*l == m {
		s := fftStage{l: l}
		s.w2re, s.w2im = twiddles(l, 2*l)
		f.last = &s
	}
	for k := range f.postRe {
		f.postIm[k], f.postRe[k] = math.Sincos(-2 * math.Pi * float64(k) / float64(n))
	}
	return f
}

// power writes |X[k]|² for k in [lo, hi) of the real input x into out.
func (f *realFFT) power(x []float64, out []float64, lo, hi int) {
	m := f.n / 2
	re, im := f.re[:m], f.im[:m]
	x = x[:2*m]
	// Load in bit-reversed order and do the first two stages: with
	// bit-reversed input, elements rev[4j..4j+3] form one 4-point DFT.
	rev := f.rev[:m]
	for j := 0; j+4 <= m; j += 4 {
		r := rev[j : j+4 : j+4]
		// Slot j holds packed sample rev[j], that is x[2rev[j]] + i·x[2rev[j]+1].
		a, b, c, d := int(r[0]), int(r[1]), int(r[2]), int(r[3])
		ar, ai := x[2*a], x[2*a+1]
		br, bi := x[2*b], x[2*b+1]
		cr, ci := x[2*c], x[2*c+1]
		dr, di := x[2*d], x[2*d+1]
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
		w2re, w2im := s.w2re[:l], s.w2im[:l]
		w4re, w4im := s.w4re[:l], s.w4im[:l]
		for start := 0; start < m; start += 4 * l {
			ar, ai := re[start:start+l], im[start:start+l]
			br, bi := re[start+l:start+2*l], im[start+l:start+2*l]
			cr, ci := re[start+2*l:start+3*l], im[start+2*l:start+3*l]
			dr, di := re[start+3*l:start+4*l], im[start+3*l:start+4*l]
			for k := 0; k < l; k++ {
				// Stage s: blocks of l into 2l, twiddle w2 on b and d.
				xr, xi := w2re[k], w2im[k]
				tbr := br[k]*xr - bi[k]*xi
				tbi := br[k]*xi + bi[k]*xr
				tdr := dr[k]*xr - di[k]*xi
				tdi := dr[k]*xi + di[k]*xr
				Ar, Ai := ar[k]+tbr, ai[k]+tbi
				Br, Bi := ar[k]-tbr, ai[k]-tbi
				Cr, Ci := cr[k]+tdr, ci[k]+tdi
				Dr, Di := cr[k]-tdr, ci[k]-tdi
				// Stage s+1: blocks of 2l into 4l; C gets w4, D gets w4·(-i).
				yr, yi := w4re[k], w4im[k]
				tcr := Cr*yr - Ci*yi
				tci := Cr*yi + Ci*yr
				tdr2 := Dr*yi + Di*yr // (D·w4)·(-i): real part is imag(D·w4)
				tdi2 := -(Dr*yr - Di*yi)
				ar[k], ai[k] = Ar+tcr, Ai+tci
				cr[k], ci[k] = Ar-tcr, Ai-tci
				br[k], bi[k] = Br+tdr2, Bi+tdi2
				dr[k], di[k] = Br-tdr2, Bi-tdi2
			}
		}
	}
	if s := f.last; s != nil {
		l := s.l
		ar, ai := re[:l], im[:l]
		br, bi := re[l:2*l], im[l:2*l]
		wr, wi := s.w2re[:l], s.w2im[:l]
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
		if k == m {
			v := re[0] - im[0]
			out[k] = v * v
			continue
		}
		j := k % m
		zr, zi := re[j], im[j]
		cr, ci := re[(m-k)%m], -im[(m-k)%m]
		er, ei := (zr+cr)*0.5, (zi+ci)*0.5
		// odd = (z - conj) * (-0.5i)
		or, oi := (zi-ci)*0.5, -(zr-cr)*0.5
		pr, pi := f.postRe[j], f.postIm[j]
		vr := er + pr*or - pi*oi
		vi := ei + pr*oi + pi*or
		out[k] = vr*vr + vi*vi
	}
}
