package reco

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// ALS model: implicit-feedback matrix factorisation after Hu, Koren and
// Volinsky (2008). Each signal r becomes a preference p = [r > 0] held
// with confidence c = 1 + Alpha·|r| (skips are confident zeros, absent
// pairs are zeros with confidence 1). User and item factors alternate:
// each row solves (YᵀY + λI + Σᵢ (cᵢ−1) yᵢyᵢᵀ) x = Σᵢ cᵢ pᵢ yᵢ, where YᵀY
// is shared by all rows (one BLAS syrk per half-step) and the rest is
// sparse. Instead of a k×k Cholesky per row the system is solved by a few
// conjugate-gradient steps warm-started from the previous factors
// (Takács, Pilászy and Tikk 2011), O(k·nnz + k²) per row instead of
// O(k³). Rows are solved in parallel.

// ALSOptions tunes TrainALS.
type ALSOptions struct {
	Factors    int     // default 64
	Iterations int     // default 15
	Lambda     float64 // L2 regularisation, default 0.1
	Alpha      float64 // confidence slope, default 10
	CGSteps    int     // conjugate-gradient steps per row, default 3
	Seed       uint64
	Workers    int // default GOMAXPROCS
	// Progress, if set, is called after each iteration.
	Progress func(iteration int)
}

func (o *ALSOptions) defaults() {
	if o.Factors <= 0 {
		o.Factors = 64
	}
	if o.Iterations <= 0 {
		o.Iterations = 15
	}
	if o.Lambda <= 0 {
		o.Lambda = 0.1
	}
	if o.Alpha <= 0 {
		o.Alpha = 10
	}
	if o.CGSteps <= 0 {
		o.CGSteps = 3
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
}

// Factors is a row-major matrix of n vectors of K float64s.
type Factors struct {
	N, K int
	Data []float64
}

// Vec returns vector i.
func (f *Factors) Vec(i int) []float64 { return f.Data[i*f.K : (i+1)*f.K] }

// ALS holds trained user and item factors.
type ALS struct {
	Users, Items Factors
	Opts         ALSOptions
}

// TrainALS factorises m (users × items).
func TrainALS(ctx context.Context, m *Matrix, opts ALSOptions) (*ALS, error) {
	opts.defaults()
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5851f42d4c957f2d))
	init := func(n int) Factors {
		f := Factors{N: n, K: opts.Factors, Data: make([]float64, n*opts.Factors)}
		for i := range f.Data {
			f.Data[i] = (r.Float64() - 0.5) * 0.01
		}
		return f
	}
	a := &ALS{Users: init(m.Rows), Items: init(m.Cols), Opts: opts}
	t := m.Transpose()
	for it := range opts.Iterations {
		if err := SolveRows(ctx, m, &a.Items, &a.Users, opts); err != nil {
			return nil, err
		}
		if err := SolveRows(ctx, t, &a.Users, &a.Items, opts); err != nil {
			return nil, err
		}
		if opts.Progress != nil {
			opts.Progress(it + 1)
		}
	}
	return a, nil
}

// Gram returns YᵀY (k×k, row-major) of fixed factors.
func Gram(y *Factors) []float64 {
	g := make([]float64, y.K*y.K)
	if y.N == 0 {
		return g
	}
	blas64.Syrk(blas.Trans, 1, blas64.General{Rows: y.N, Cols: y.K, Stride: y.K, Data: y.Data}, 0,
		blas64.Symmetric{Uplo: blas.Upper, N: y.K, Stride: y.K, Data: g})
	for i := range y.K { // mirror the upper triangle
		for j := range i {
			g[i*y.K+j] = g[j*y.K+i]
		}
	}
	return g
}

// SolveRows is one ALS half-step: every row x of out (one per row of m)
// is re-solved against the fixed factors y, warm-started from its value.
// The batch's user step uses it alone, with item factors from the model.
func SolveRows(ctx context.Context, m *Matrix, y, out *Factors, opts ALSOptions) error {
	opts.defaults()
	gram := Gram(y)
	var wg sync.WaitGroup
	next := make(chan int, opts.Workers)
	const chunk = 256
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newCGScratch(y.K)
			for lo := range next {
				for u := lo; u < min(lo+chunk, m.Rows); u++ {
					items, vals := m.Row(u)
					s.solve(gram, y, items, vals, out.Vec(u), opts)
				}
			}
		}()
	}
	var err error
	for lo := 0; lo < m.Rows; lo += chunk {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- lo
	}
	close(next)
	wg.Wait()
	return err
}

type cgScratch struct {
	r, p, ap, tmp []float64
	k             int
}

func newCGScratch(k int) *cgScratch {
	return &cgScratch{r: make([]float64, k), p: make([]float64, k), ap: make([]float64, k), tmp: make([]float64, k), k: k}
}

// apply sets dst = (YᵀY + λI + Σ (c−1) yyᵀ) v.
func (s *cgScratch) apply(dst, v, gram []float64, y *Factors, items []int32, vals []float32, o ALSOptions) {
	k := s.k
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: k, Cols: k, Stride: k, Data: gram}, blas64.Vector{N: k, Inc: 1, Data: v}, 0, blas64.Vector{N: k, Inc: 1, Data: dst})
	for j := range dst {
		dst[j] += o.Lambda * v[j]
	}
	for n, i := range items {
		yi := y.Vec(int(i))
		c1 := o.Alpha * math.Abs(float64(vals[n]))
		d := dot(yi, v) * c1
		axpy(d, yi, dst)
	}
}

// solve runs CGSteps of conjugate gradient on one row, in place.
func (s *cgScratch) solve(gram []float64, y *Factors, items []int32, vals []float32, x []float64, o ALSOptions) {
	if len(items) == 0 {
		clear(x) // no signal: the prior (zero) is the solution
		return
	}
	// r = b − A x, with b = Σ cᵢ pᵢ yᵢ.
	s.apply(s.tmp, x, gram, y, items, vals, o)
	clear(s.r)
	for n, i := range items {
		if vals[n] > 0 {
			axpy(1+o.Alpha*float64(vals[n]), y.Vec(int(i)), s.r)
		}
	}
	for j := range s.r {
		s.r[j] -= s.tmp[j]
	}
	copy(s.p, s.r)
	rs := dot(s.r, s.r)
	for range o.CGSteps {
		if rs < 1e-20 {
			return
		}
		s.apply(s.ap, s.p, gram, y, items, vals, o)
		alpha := rs / dot(s.p, s.ap)
		axpy(alpha, s.p, x)
		axpy(-alpha, s.ap, s.r)
		rsNew := dot(s.r, s.r)
		beta := rsNew / rs
		for j := range s.p {
			s.p[j] = s.r[j] + beta*s.p[j]
		}
		rs = rsNew
	}
}

// dot is the inner product, four accumulators wide.
func dot[T float32 | float64](a, b []T) T {
	var s0, s1, s2, s3 T
	n := len(a)
	b = b[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < n; i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

func axpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}
