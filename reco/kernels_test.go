package reco

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernelsAgree holds the dispatched kernels (AVX2 assembly where the
// CPU has it) to the plain Go loops, on lengths that take the assembly
// path and lengths that fall back.
func TestKernelsAgree(t *testing.T) {
	if !simd {
		t.Log("no AVX2+FMA here: only the Go loops run")
	}
	r := rand.New(rand.NewPCG(3, 4))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = r.Float32()*2 - 1
		}
		return x
	}
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) <= 1e-5*(1+math.Abs(float64(a))) }
	for _, n := range []int{1, 7, 8, 16, 24, 32, 40, 64, 72, 100, 128, 300} {
		a, b := fill(n), fill(n)
		if got, want := dot32(a, b), dotGo(a, b); !near(got, want) {
			t.Errorf("dot n=%d: %v, Go %v", n, got, want)
		}
		y1 := fill(n)
		y2 := append([]float32(nil), y1...)
		axpy32(0.37, a, y1)
		axpyGo(0.37, a, y2)
		for i := range y1 {
			if !near(y1[i], y2[i]) {
				t.Fatalf("axpy n=%d at %d: %v, Go %v", n, i, y1[i], y2[i])
			}
		}
		out1, acc1 := fill(n), fill(n)
		out2, acc2 := append([]float32(nil), out1...), append([]float32(nil), acc1...)
		sgnsUpdate(-0.21, a, out1, acc1)
		sgnsUpdateGo(-0.21, a, out2, acc2)
		for i := range out1 {
			if !near(out1[i], out2[i]) || !near(acc1[i], acc2[i]) {
				t.Fatalf("sgnsUpdate n=%d at %d: out %v/%v acc %v/%v", n, i, out1[i], out2[i], acc1[i], acc2[i])
			}
		}
		// The Go loops themselves against the definition, in float64.
		var s float64
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		if !near(dotGo(a, b), float32(s)) {
			t.Errorf("dotGo n=%d: %v, want %v", n, dotGo(a, b), s)
		}
	}
}

// TestDotRowsAgree holds the block kernel to dotGo row by row, on row
// widths that take the assembly and widths that do not, and on row
// counts that leave the assembly's four-row steps a remainder.
func TestDotRowsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, dim := range []int{8, 12, 16, 64, 72} {
		for _, n := range []int{1, 3, 4, 5, 8, 13, 64} {
			q := make([]float32, dim)
			rows := make([]float32, n*dim+dim) // one row more than scored
			for i := range q {
				q[i] = r.Float32()*2 - 1
			}
			for i := range rows {
				rows[i] = r.Float32()*2 - 1
			}
			out := make([]float32, n+1)
			out[n] = 42 // past the rows asked for: untouched
			dotRows32(q, rows, out[:n])
			for i := range n {
				want := dotGo(q, rows[i*dim:(i+1)*dim])
				if math.Abs(float64(out[i]-want)) > 1e-5*(1+math.Abs(float64(want))) {
					t.Errorf("dim %d, %d rows: row %d scored %v, dotGo %v", dim, n, i, out[i], want)
				}
			}
			if out[n] != 42 {
				t.Errorf("dim %d, %d rows: wrote past the end", dim, n)
			}
		}
	}
}

func BenchmarkKernels(b *testing.B) {
	x, y, z := make([]float32, 64), make([]float32, 64), make([]float32, 64)
	b.Run("dot", func(b *testing.B) {
		for range b.N {
			x[0] = dot32(x, y)
		}
	})
	b.Run("dotGo", func(b *testing.B) {
		for range b.N {
			x[0] = dotGo(x, y)
		}
	})
	rows, out := make([]float32, 256*64), make([]float32, 256)
	b.Run("dotRows256", func(b *testing.B) {
		for range b.N {
			dotRows32(x, rows, out)
		}
	})
	b.Run("dot256", func(b *testing.B) {
		for range b.N {
			for r := range out {
				out[r] = dot32(x, rows[r*64:(r+1)*64])
			}
		}
	})
	b.Run("sgnsUpdate", func(b *testing.B) {
		for range b.N {
			sgnsUpdate(0.001, x, y, z)
		}
	})
	b.Run("sgnsUpdateGo", func(b *testing.B) {
		for range b.N {
			sgnsUpdateGo(0.001, x, y, z)
		}
	})
}
