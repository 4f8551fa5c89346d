package browsertest

import "slices"

// Trend summarises evenly spaced samples of one quantity over a long
// run: the least-squares slope per sample interval, and the median of
// the first and the last Window samples, which a few noisy samples do
// not move.
type Trend struct {
	Slope       float64 // change per sample interval, least squares
	First, Last float64 // medians of the first and the last Window samples
	Window      int
}

// TrendOf fits values (one per interval) with a straight line and
// takes the medians of their first and last window (at least one, at
// most half of the samples).
func TrendOf(values []float64, window int) Trend {
	n := len(values)
	window = max(1, min(window, n/2))
	tr := Trend{Window: window}
	if n == 0 {
		return tr
	}
	var meanX, meanY float64
	for i, v := range values {
		meanX += float64(i)
		meanY += v
	}
	meanX /= float64(n)
	meanY /= float64(n)
	var cov, varX float64
	for i, v := range values {
		dx := float64(i) - meanX
		cov += dx * (v - meanY)
		varX += dx * dx
	}
	if varX > 0 {
		tr.Slope = cov / varX
	}
	tr.First = median(values[:window])
	tr.Last = median(values[n-window:])
	return tr
}

func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(values))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
