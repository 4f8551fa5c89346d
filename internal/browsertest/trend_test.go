package browsertest

import (
	"math"
	"testing"
)

func TestTrendOf(t *testing.T) {
	for _, c := range []struct {
		name               string
		values             []float64
		window             int
		slope, first, last float64
	}{
		{"flat", []float64{5, 5, 5, 5}, 2, 0, 5, 5},
		{"growing by 2", []float64{1, 3, 5, 7, 9, 11}, 3, 2, 3, 9},
		// One outlier tilts the line a little; the medians ignore it.
		{"one spike", []float64{10, 10, 10, 40, 10, 10, 10}, 3, 0, 10, 10},
		{"window past half", []float64{1, 2, 3, 4}, 10, 1, 1.5, 3.5},
		{"one sample", []float64{7}, 5, 0, 7, 7},
	} {
		got := TrendOf(c.values, c.window)
		if math.Abs(got.Slope-c.slope) > 1e-9 || got.First != c.first || got.Last != c.last {
			t.Errorf("%s: %+v, want slope %g, first %g, last %g", c.name, got, c.slope, c.first, c.last)
		}
	}
}
