package audiofeatures

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"

	music "github.com/openmusic/music"
)

// Analysis frame sizes at the decimated rate (about 11 kHz).
const (
	targetRate = 11025
	shortSize  = 512
	shortHop   = 128
	longSize   = 4096
	longHop    = 2048
)

// MaxEnvelope bounds the onset envelope kept for tempo: 30 minutes of
// frames. Longer tracks take their tempo from the first 30 minutes.
const MaxEnvelope = 30 * 60 * targetRate / shortHop

// Analyzer accumulates features over interleaved float32 PCM. Not safe
// for concurrent use.
type Analyzer struct {
	channels int
	dec      int     // decimation factor
	rate     float64 // decimated rate
	acc      float64
	accN     int

	pend     []float64 // decimated samples from absolute index base
	base     int64
	nextS    int64
	nextL    int64
	total    int64
	shortFFT *fourier.FFT
	longFFT  *fourier.FFT
	winS     []float64
	winL     []float64
	frameBuf []float64
	coef     []complex128
	coefL    []complex128
	prevLog  []float64
	binPC    []int8 // pitch class of each long bin, -1 outside 55–2000 Hz

	env                []float32
	powSum, centroidW  float64
	highPow            float64
	rmsDBSum           float64
	loudFrames, frames int
	chroma             [12]float64
}

// New returns an analyzer for PCM at rate with channels interleaved.
func New(rate, channels int) *Analyzer {
	dec := max(1, int(math.Round(float64(rate)/targetRate)))
	a := &Analyzer{
		channels: max(1, channels), dec: dec, rate: float64(rate) / float64(dec),
		shortFFT: fourier.NewFFT(shortSize), longFFT: fourier.NewFFT(longSize),
		winS: hann(shortSize), winL: hann(longSize),
		frameBuf: make([]float64, longSize),
		coef:     make([]complex128, shortSize/2+1), coefL: make([]complex128, longSize/2+1),
		prevLog: make([]float64, shortSize/2+1),
		binPC:   make([]int8, longSize/2+1),
	}
	for k := range a.binPC {
		f := float64(k) * a.rate / longSize
		a.binPC[k] = -1
		if f >= 55 && f <= 2000 {
			pc := int(math.Round(12*math.Log2(f/440))) + 9 // A = 9
			a.binPC[k] = int8(((pc % 12) + 12) % 12)
		}
	}
	return a
}

func hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}

// Write adds interleaved samples (any whole number of frames).
func (a *Analyzer) Write(pcm []float32) {
	ch := a.channels
	inv := 1 / float64(ch*a.dec)
	for i := 0; i+ch <= len(pcm); i += ch {
		var s float32
		for c := range ch {
			s += pcm[i+c]
		}
		a.acc += float64(s)
		a.accN++
		if a.accN == a.dec {
			a.pend = append(a.pend, a.acc*inv)
			a.acc, a.accN = 0, 0
		}
	}
	a.drain()
}

// drain analyses every complete frame and drops samples no frame needs.
func (a *Analyzer) drain() {
	end := a.base + int64(len(a.pend))
	for a.nextS+shortSize <= end {
		a.shortFrame(a.pend[a.nextS-a.base : a.nextS-a.base+shortSize])
		a.nextS += shortHop
	}
	for a.nextL+longSize <= end {
		a.longFrame(a.pend[a.nextL-a.base : a.nextL-a.base+longSize])
		a.nextL += longHop
	}
	keep := min(a.nextS, a.nextL)
	if drop := int(keep - a.base); drop > 0 && drop >= len(a.pend)/2 {
		n := copy(a.pend, a.pend[drop:])
		a.pend = a.pend[:n]
		a.base = keep
	}
	a.total = end
}

func (a *Analyzer) shortFrame(x []float64) {
	buf := a.frameBuf[:shortSize]
	var ms float64
	for i, v := range x {
		ms += v * v
		buf[i] = v * a.winS[i]
	}
	ms /= shortSize
	a.frames++
	if ms > 1e-7 { // above -70 dBFS
		a.rmsDBSum += 10 * math.Log10(ms)
		a.loudFrames++
	}
	c := a.shortFFT.Coefficients(a.coef, buf)
	var flux float64
	binHz := a.rate / shortSize
	for k, z := range c {
		p := real(z)*real(z) + imag(z)*imag(z)
		l := math.Log1p(100 * math.Sqrt(p))
		if d := l - a.prevLog[k]; d > 0 {
			flux += d
		}
		a.prevLog[k] = l
		f := float64(k) * binHz
		a.powSum += p
		a.centroidW += p * f
		if f >= 1500 {
			a.highPow += p
		}
	}
	if len(a.env) < MaxEnvelope {
		a.env = append(a.env, float32(flux))
	}
}

func (a *Analyzer) longFrame(x []float64) {
	buf := a.frameBuf[:longSize]
	for i, v := range x {
		buf[i] = v * a.winL[i]
	}
	c := a.longFFT.Coefficients(a.coefL, buf)
	var fr [12]float64
	for k, z := range c {
		if pc := a.binPC[k]; pc >= 0 {
			fr[pc] += math.Hypot(real(z), imag(z))
		}
	}
	var sum float64
	for _, v := range fr {
		sum += v
	}
	if sum < 1e-3 { // silence adds no key evidence
		return
	}
	for i, v := range fr {
		a.chroma[i] += v / sum
	}
}

// Features returns the measurement so far. loudnessLUFS is the integrated
// loudness measured beside it (encode's meter); it is copied in and feeds
// the energy figure.
func (a *Analyzer) Features(loudnessLUFS float64) music.AudioFeatures {
	fps := a.rate / shortHop
	seconds := float64(a.total) / a.rate
	f := music.AudioFeatures{Key: -1, Loudness: loudnessLUFS, Version: Version}
	if a.powSum > 0 {
		f.SpectralCentroid = a.centroidW / a.powSum
		f.Brightness = a.highPow / a.powSum
	}
	tempo := estimateTempo(a.env, fps)
	f.Tempo, f.BeatStrength = tempo.bpm, tempo.strength
	if seconds > 0 {
		f.OnsetRate = float64(countOnsets(a.env, fps)) / seconds
	}
	f.Key, f.Mode, f.KeyConfidence = estimateKey(a.chroma)
	f.Danceability = f.BeatStrength * tempoComfort(f.Tempo)
	loud := 0.0
	if a.loudFrames > 0 {
		loud = clamp01((a.rmsDBSum/float64(a.loudFrames) + 40) / 32)
		loud *= float64(a.loudFrames) / float64(a.frames)
	}
	f.Energy = clamp01(0.6*loud + 0.25*clamp01(2*f.Brightness) + 0.15*clamp01(f.OnsetRate/6))
	return round(f)
}

// tempoComfort is 1 between 90 and 140 BPM, falling off an octave away.
func tempoComfort(bpm float64) float64 {
	switch {
	case bpm <= 0:
		return 0
	case bpm < 90:
		return clamp01(1 - math.Log2(90/bpm))
	case bpm > 140:
		return clamp01(1 - math.Log2(bpm/140))
	}
	return 1
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// round keeps stored figures short: JSON of a million tracks adds up.
func round(f music.AudioFeatures) music.AudioFeatures {
	r := func(x, unit float64) float64 { return math.Round(x/unit) * unit }
	f.Tempo = r(f.Tempo, 0.01)
	f.KeyConfidence = r(f.KeyConfidence, 0.001)
	f.Energy = r(f.Energy, 0.001)
	f.Loudness = r(f.Loudness, 0.01)
	f.SpectralCentroid = r(f.SpectralCentroid, 0.1)
	f.Brightness = r(f.Brightness, 0.001)
	f.OnsetRate = r(f.OnsetRate, 0.001)
	f.BeatStrength = r(f.BeatStrength, 0.001)
	f.Danceability = r(f.Danceability, 0.001)
	return f
}
