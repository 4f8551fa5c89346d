package reco

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// With as many CG steps as factors, one half-step must equal the
// closed-form solve of the normal equations, row by row.
func TestSolveRowsMatchesClosedForm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const users, items, k = 7, 9, 4
	var es []Entry
	for u := range users {
		for i := range items {
			if r.IntN(3) == 0 {
				v := float32(r.IntN(5) + 1)
				if r.IntN(4) == 0 {
					v = -1
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
	opts := ALSOptions{Factors: k, Lambda: 0.1, Alpha: 2, CGSteps: 3 * k, Workers: 2}
	x := Factors{N: users, K: k, Data: make([]float64, users*k)}
	if err := SolveRows(context.Background(), m, &y, &x, opts); err != nil {
		t.Fatal(err)
	}
	Y := mat.NewDense(items, k, y.Data)
	for u := range users {
		c := make([]float64, items)
		p := make([]float64, items)
		for i := range c {
			c[i] = 1
		}
		idx, val := m.Row(u)
		for n, i := range idx {
			c[i] = 1 + opts.Alpha*math.Abs(float64(val[n]))
			if val[n] > 0 {
				p[i] = 1
			}
		}
		var a mat.Dense
		a.Mul(Y.T(), mat.NewDense(items, k, scaleRows(y.Data, c, k)))
		for j := range k {
			a.Set(j, j, a.At(j, j)+opts.Lambda)
		}
		b := mat.NewVecDense(k, nil)
		for i := range items {
			b.AddScaledVec(b, c[i]*p[i], Y.RowView(i))
		}
		var want mat.VecDense
		if err := want.SolveVec(&a, b); err != nil {
			t.Fatal(err)
		}
		if len(idx) == 0 {
			want.Zero() // no signal at all: the row is left at zero
		}
		for j := range k {
			if math.Abs(want.AtVec(j)-x.Vec(u)[j]) > 1e-6 {
				t.Fatalf("user %d: CG %v, closed form %v", u, x.Vec(u), mat.Formatted(want.T()))
			}
		}
	}
}

func scaleRows(data, c []float64, k int) []float64 {
	out := make([]float64, len(data))
	for i := range c {
		for j := range k {
			out[i*k+j] = data[i*k+j] * c[i]
		}
	}
	return out
}

// ALS on two disjoint taste blocks recovers them: each user's top unseen
// items come from their own block.
func TestALSSeparatesTastes(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	const users, items = 200, 60
	var es []Entry
	for u := range users {
		block := u % 2
		for range 8 {
			es = append(es, Entry{int32(u), int32(block*30 + r.IntN(30)), 1})
		}
	}
	m := NewMatrix(users, items, es)
	a, err := TrainALS(context.Background(), m, ALSOptions{Factors: 8, Iterations: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for u := range users {
		top := TopK(a.Items.Data, a.Items.K, a.Users.Vec(u), 5, func(i int) bool { return false })
		for _, s := range top {
			if s.Item/30 != u%2 {
				wrong++
			}
		}
	}
	if wrong > users*5/20 {
		t.Fatalf("%d of %d top-5 items come from the other taste", wrong, users*5)
	}
}
