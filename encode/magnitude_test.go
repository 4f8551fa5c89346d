package encode

import (
	"math"
	"testing"
)

// magnitude compares float bits as integers; it must agree with the
// plain max |v| that skips NaNs, whatever the signs, zeros and infinities.
func TestMagnitude(t *testing.T) {
	nan := math.NaN()
	cases := [][]float64{
		nil,
		{0},
		{math.Copysign(0, -1)},
		{0.25, -0.5, 0.125},
		{-1e-300, 5e-324, -5e-324},
		{0.3, -0.9, 0.8, -0.1, 0.95},
		{math.Inf(-1), 1, 2},
		{1, nan, -3, 2},
		{nan},
		{nan, nan, -0.5},
	}
	for _, x := range cases {
		want := 0.0
		for _, v := range x {
			if v = math.Abs(v); v > want {
				want = v
			}
		}
		if got := magnitude(x); got != want {
			t.Errorf("magnitude(%v) = %v, want %v", x, got, want)
		}
	}
}
