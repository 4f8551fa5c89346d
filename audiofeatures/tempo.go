package audiofeatures

import "math"

// Tempo search range and prior: a log-normal weight centred on 120 BPM
// with 0.9 octaves deviation, which settles most octave ambiguity the way
// listeners tap along.
const (
	minBPM      = 40
	maxBPM      = 240
	priorBPM    = 120
	priorOctave = 0.9
)

type tempoEstimate struct{ bpm, strength float64 }

// estimateTempo finds the beat period in an onset envelope sampled at fps.
func estimateTempo(env []float32, fps float64) tempoEstimate {
	n := len(env)
	if float64(n) < 4*fps {
		return tempoEstimate{}
	}
	x := detrend(env, int(fps))
	minLag := int(math.Floor(60 * fps / maxBPM))
	maxLag := int(math.Ceil(60 * fps / minBPM))
	ac := autocorr(x, 2*maxLag+2)
	if ac[0] <= 0 {
		return tempoEstimate{}
	}
	score := func(l int) float64 {
		bpm := 60 * fps / float64(l)
		o := math.Log2(bpm/priorBPM) / priorOctave
		return math.Exp(-0.5*o*o) * (ac[l] + 0.5*ac[2*l])
	}
	best, bl := math.Inf(-1), 0
	for l := max(minLag, 1); l <= maxLag; l++ {
		if s := score(l); s > best {
			best, bl = s, l
		}
	}
	if best <= 0 {
		return tempoEstimate{}
	}
	// Parabolic interpolation of the raw autocorrelation around the peak
	// lag: the frame rate alone would quantise 120 BPM to about ±2 %.
	lag := float64(bl)
	if bl > 1 && bl+1 < len(ac) {
		y0, y1, y2 := ac[bl-1], ac[bl], ac[bl+1]
		if d := y0 - 2*y1 + y2; d < 0 {
			lag += math.Max(-0.5, math.Min(0.5, 0.5*(y0-y2)/d))
		}
	}
	return tempoEstimate{bpm: 60 * fps / lag, strength: clamp01(ac[bl] / ac[0])}
}

// detrend subtracts a centred moving average of width w.
func detrend(env []float32, w int) []float64 {
	n := len(env)
	prefix := make([]float64, n+1)
	for i, v := range env {
		prefix[i+1] = prefix[i] + float64(v)
	}
	x := make([]float64, n)
	for i := range x {
		lo, hi := max(0, i-w/2), min(n, i+w/2+1)
		x[i] = float64(env[i]) - (prefix[hi]-prefix[lo])/float64(hi-lo)
	}
	return x
}

// autocorr returns the unbiased autocorrelation for lags [0, lags).
func autocorr(x []float64, lags int) []float64 {
	ac := make([]float64, lags)
	for l := range ac {
		if l >= len(x) {
			break
		}
		var s float64
		for i, v := range x[:len(x)-l] {
			s += v * x[i+l]
		}
		ac[l] = s / float64(len(x)-l)
	}
	return ac
}

// countOnsets counts local maxima of the envelope that stand above the
// second around them by half the envelope's deviation, at most one per
// 50 ms.
func countOnsets(env []float32, fps float64) int {
	n := len(env)
	if n == 0 {
		return 0
	}
	var mean, sq float64
	for _, v := range env {
		mean += float64(v)
	}
	mean /= float64(n)
	for _, v := range env {
		d := float64(v) - mean
		sq += d * d
	}
	delta := 0.5 * math.Sqrt(sq/float64(n))
	x := detrend(env, int(fps))
	gap := max(1, int(0.05*fps))
	count, last := 0, -gap
	for i := range x {
		if x[i] <= delta || i-last < gap {
			continue
		}
		peak := true
		for j := max(0, i-3); j < min(n, i+4); j++ {
			if env[j] > env[i] {
				peak = false
				break
			}
		}
		if peak {
			count++
			last = i
		}
	}
	return count
}
