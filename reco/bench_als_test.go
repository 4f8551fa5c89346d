package reco

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// BenchmarkALS trains ALS on RECO_ALS_PAIRS (default 20 M) (user, track)
// pairs: RECO_ALS_USERS users (default 1 M) with Zipf-popular tracks
// among RECO_ALS_ITEMS (default 100 k), 64 factors, 15 iterations. It
// reports wall and CPU seconds and the floating-point rate from an exact
// count of the solver's multiply-adds, beside the rate gonum's dgemm
// reaches on this machine (the measured peak).
func BenchmarkALS(b *testing.B) {
	users, items, pairs := envInt("RECO_ALS_USERS", 1_000_000), envInt("RECO_ALS_ITEMS", 100_000), envInt("RECO_ALS_PAIRS", 20_000_000)
	r := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(r, 1.05, 10, uint64(items-1))
	es := make([]Entry, pairs)
	for i := range es {
		es[i] = Entry{User: int32(i % users), Item: int32(z.Uint64()), R: float32(1 + r.IntN(5))}
	}
	m := NewMatrix(users, items, es)
	es = nil
	opts := ALSOptions{Factors: 64, Iterations: envInt("RECO_ALS_ITERS", 15), Seed: 1}
	opts.defaults()
	peak := dgemmRate()
	for range b.N {
		cpu0, t0 := cpuSeconds(), time.Now()
		if _, err := TrainALS(context.Background(), m, opts); err != nil {
			b.Fatal(err)
		}
		wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-cpu0
		flops := alsFlops(m, opts) + alsFlops(m.Transpose(), opts)
		flops *= float64(opts.Iterations)
		result(b, map[string]any{"bench": "als", "users": users, "items": items, "nnz": m.NNZ(), "factors": opts.Factors,
			"iterations": opts.Iterations, "wall_seconds": wall, "cpu_seconds": cpu, "gflop": flops / 1e9,
			"gflops_wall": flops / wall / 1e9, "gflops_per_cpu_second": flops / cpu / 1e9, "dgemm_peak_gflops": peak, "gomaxprocs": runtime.GOMAXPROCS(0)})
	}
}

// alsFlops counts one half-step's floating-point operations over m's
// rows: the Gram matrix, then per row the CG solve (see cgScratch).
func alsFlops(m *Matrix, o ALSOptions) float64 {
	k := float64(o.Factors)
	f := float64(m.Cols) * k * (k + 1) // syrk of the fixed side
	for u := range m.Rows {
		nnz := float64(m.Ptr[u+1] - m.Ptr[u])
		if nnz == 0 {
			continue
		}
		apply := 2*k*k + 2*k + 4*k*nnz
		f += apply + 2*k*nnz + k + 2*k // residual: A x, b, r = b − A x, r·r
		f += float64(o.CGSteps) * (apply + 2*k + 4*k + 2*k + 2*k)
	}
	return f
}

// dgemmRate measures gonum's dgemm on 1024² matrices with every core.
func dgemmRate() float64 {
	const n = 1024
	a := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	for i := range a.Data {
		a.Data[i] = float64(i%7) * 0.1
	}
	c := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	best := 0.0
	for range 3 {
		t0 := time.Now()
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, a, 0, c)
		best = max(best, 2*n*n*n/time.Since(t0).Seconds()/1e9)
	}
	return best
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// BenchmarkALSExportForSciPy writes a small problem and our half-step
// solution (CG run to convergence) to $RECO_ALS_CHECK as JSON, for
// reco/bench/als_check.py to compare with a closed-form SciPy solve.
func BenchmarkALSExportForSciPy(b *testing.B) {
	path := os.Getenv("RECO_ALS_CHECK")
	if path == "" {
		b.Skip("set RECO_ALS_CHECK")
	}
	r := rand.New(rand.NewPCG(7, 7))
	const users, items, k = 30, 40, 8
	var es []Entry
	for u := range users {
		for i := range items {
			if r.IntN(4) == 0 {
				v := float32(1 + r.IntN(6))
				if r.IntN(5) == 0 {
					v = -0.5
				}
				es = append(es, Entry{int32(u), int32(i), v})
			}
		}
	}
	m := NewMatrix(users, items, es)
	y := Factors{N: items, K: k, Data: make([]float64, items*k)}
	for i := range y.Data {
		y.Data[i] = r.Float64() - 0.5
	}
	o := ALSOptions{Factors: k, Lambda: 0.1, Alpha: 10, CGSteps: 4 * k, Workers: 1}
	x := Factors{N: users, K: k, Data: make([]float64, users*k)}
	for range b.N {
		if err := SolveRows(context.Background(), m, &y, &x, o); err != nil {
			b.Fatal(err)
		}
	}
	type row struct {
		Items []int32   `json:"items"`
		R     []float32 `json:"r"`
	}
	out := map[string]any{"k": k, "lambda": o.Lambda, "alpha": o.Alpha, "items": items, "y": y.Data, "x": x.Data}
	var rows []row
	for u := range users {
		idx, val := m.Row(u)
		rows = append(rows, row{idx, val})
	}
	out["rows"] = rows
	data, _ := json.Marshal(out)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
}
