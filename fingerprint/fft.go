package fingerprint

import (
	"math"
	"math/bits"
)

// realFFT computes the spectrum of a real frame of size n (a power of
// two) through one complex FFT of size n/2, the usual packing trick. It is
// several times faster than a general-purpose FFT for this one size, and
// the fingerprint spends most of its time here.
type realFFT struct {
	n    int
	rev  []int        // bit reversal of n/2
	tw   []complex128 // e^{-2πik/(n/2)}, k < n/4
	post []complex128 // e^{-2πik/n}, k < n/2
	z    []complex128
}

func newRealFFT(n int) *realFFT {
	m := n / 2
	f := &realFFT{n: n, rev: make([]int, m), tw: make([]complex128, m/2), post: make([]complex128, m), z: make([]complex128, m)}
	shift := 64 - bits.Len(uint(m-1))
	for i := range f.rev {
		f.rev[i] = int(bits.Reverse64(uint64(i)) >> shift)
	}
	for k := range f.tw {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(m))
		f.tw[k] = complex(c, s)
	}
	for k := range f.post {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.post[k] = complex(c, s)
	}
	return f
}

// power writes |X[k]|² for k in [lo, hi) of the real input x into out.
func (f *realFFT) power(x []float64, out []float64, lo, hi int) {
	m := f.n / 2
	z := f.z
	for i, r := range f.rev {
		z[r] = complex(x[2*i], x[2*i+1])
	}
	for size := 2; size <= m; size <<= 1 {
		half, step := size>>1, m/size
		for start := 0; start < m; start += size {
			a := z[start : start+half : start+half]
			b := z[start+half : start+size : start+size]
			for k := range a {
				t := f.tw[k*step] * b[k]
				a[k], b[k] = a[k]+t, a[k]-t
			}
		}
	}
	for k := lo; k < hi; k++ {
		zk := z[k%m]
		zc := z[(m-k)%m]
		zc = complex(real(zc), -imag(zc))
		even := (zk + zc) * 0.5
		odd := (zk - zc) * complex(0, -0.5)
		v := even + f.post[k%m]*odd
		if k == m {
			v = complex(real(z[0])-imag(z[0]), 0)
		}
		out[k] = real(v)*real(v) + imag(v)*imag(v)
	}
}
