package fingerprint

import "math"

// Frame parameters of the default algorithm at 11025 Hz.
const (
	// SampleRate is the rate the fingerprint is computed at.
	SampleRate = 11025
	frameSize  = 4096
	frameHop   = frameSize - (frameSize - frameSize/3) // 1365
	minFreq    = 28
	maxFreq    = 3520
	bands      = 12
)

// chromaFilter is the FIR smoothing applied to chroma vectors over time.
var chromaFilter = [5]float64{0.25, 0.75, 1.0, 0.75, 0.25}

// analysis tables shared by every core: the window and the FFT-bin to
// note map.
var (
	hamming            [frameSize]float64
	noteOf             [frameSize/2 + 1]int8
	minIndex, maxIndex int
)

func init() {
	for i := range hamming {
		// Chromaprint scales the window by 1/INT16_MAX so samples enter
		// the FFT in [-1, 1].
		hamming[i] = (0.54 - 0.46*math.Cos(float64(i)*2*math.Pi/float64(frameSize-1))) / 32767
	}
	freqToIndex := func(f float64) int { return int(math.Round(frameSize * f / SampleRate)) }
	minIndex = max(1, freqToIndex(minFreq))
	maxIndex = min(frameSize/2, freqToIndex(maxFreq))
	for i := minIndex; i < maxIndex; i++ {
		freq := float64(i) * SampleRate / frameSize
		octave := math.Log(freq/27.5) / math.Log(2.0)
		noteOf[i] = int8(bands * (octave - math.Floor(octave)))
	}
}

// core turns mono 16-bit PCM at 11025 Hz into sub-fingerprints. It is the
// part shared by both front ends.
type core struct {
	buf  [frameSize]int16
	fill int

	fft   *realFFT
	power []float64

	hist  [8][bands]float64 // last chroma vectors, for the FIR filter
	nhist int

	image integralImage
	items []uint32

	// rawChroma, when set, receives each chroma vector before filtering
	// (normalised); tests use it to check the chromagram.
	rawChroma func([]float64)
}

func newCore() *core {
	return &core{
		fft:   newRealFFT(frameSize),
		power: make([]float64, frameSize/2+1),
	}
}

// consume takes mono samples at 11025 Hz.
func (c *core) consume(s []int16) {
	for len(s) > 0 {
		n := copy(c.buf[c.fill:], s)
		c.fill += n
		s = s[n:]
		if c.fill == frameSize {
			c.frame()
			copy(c.buf[:], c.buf[frameHop:])
			c.fill = frameSize - frameHop
		}
	}
}

func (c *core) frame() {
	c.fft.power(c.buf[:], hamming[:], c.power, minIndex, maxIndex)
	var chroma [bands]float64
	for i := minIndex; i < maxIndex; i++ {
		chroma[noteOf[i]] += c.power[i]
	}
	if c.rawChroma != nil {
		v := chroma
		normalize(v[:])
		c.rawChroma(v[:])
	}
	c.filter(chroma)
}

// filter applies the 5-tap FIR once five vectors are buffered.
func (c *core) filter(v [bands]float64) {
	c.hist[c.nhist%8] = v
	c.nhist++
	if c.nhist < len(chromaFilter) {
		return
	}
	var res [bands]float64
	first := c.nhist - len(chromaFilter)
	for i := 0; i < bands; i++ {
		for j, k := range chromaFilter {
			res[i] += c.hist[(first+j)%8][i] * k
		}
	}
	normalize(res[:])
	c.image.add(res[:])
	if c.image.n >= maxFilterWidth {
		c.items = append(c.items, subFingerprint(&c.image, c.image.n-maxFilterWidth))
	}
}

// normalize divides v by its L2 norm, or zeroes it when the norm is tiny.
func normalize(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	n := math.Sqrt(s)
	if n < 0.01 {
		clear(v)
		return
	}
	for i := range v {
		v[i] /= n
	}
}
