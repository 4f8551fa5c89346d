package encode

import (
	"math"
	"sort"

	music "github.com/openmusic/music"
)

// ReferenceLoudness is ReplayGain 2.0's target, in LUFS.
const ReferenceLoudness = music.ReplayGainReference

// SilenceLUFS is what Integrated reports when no block passes the
// absolute gate (digital silence or near it).
const SilenceLUFS = -70.0

// Loudness is one track's BS.1770-4 / EBU R128 measurement and its
// ReplayGain 2.0 values.
type Loudness struct {
	Integrated float64   `json:"integrated_lufs"` // gated programme loudness; SilenceLUFS if silent
	Range      float64   `json:"lra_lu"`          // EBU Tech 3342 loudness range
	TruePeak   float64   `json:"true_peak_dbtp"`  // max over channels, dBTP
	Peak       float64   `json:"peak"`            // true peak, linear (REPLAYGAIN_*_PEAK)
	Gain       float64   `json:"track_gain_db"`   // ReferenceLoudness - Integrated; 0 if silent
	Silent     bool      `json:"silent,omitempty"`
	blocks     []float64 // 400 ms block energies, for album gain
}

// Meter measures loudness incrementally; feed it interleaved PCM with
// Write and read the result with Loudness. Memory grows by 8 bytes per
// 100 ms of audio (block energies, needed for gating), nothing else.
type Meter struct {
	ch      int
	weights []float64
	shelf   biquad
	hp      biquad
	chans   []meterChannel
	stepLen int // samples per 100 ms step
	stepPos int
	stepAcc []float64
	recent  []float64 // last 30 step energies (ring)
	nsteps  int
	blocks  []float64 // 400 ms gating blocks (75 % overlap)
	short   []float64 // 3 s short-term windows every 100 ms
	tp      *truePeak // nil turns the true-peak stage off (tests of gating)
}

// meterChannel is the state of one channel. Channels share nothing while
// they are measured, so they can be measured concurrently (Analyze).
type meterChannel struct {
	kw   kwState
	x    []float64 // the true peak's history, then the block being measured
	peak float64   // true peak so far, linear
	sums []float64 // the block's sum of squares per stretch between step boundaries
	// For a channel measured on its own (measureStream): the sums of the
	// completed 100 ms steps, and the step in progress.
	steps   []float64
	stepAcc float64
	stepPos int
}

// NewMeter returns a Meter for PCM at rate Hz with ch channels.
func NewMeter(rate, ch int) *Meter {
	shelf, hp := kWeighting(rate)
	return &Meter{
		ch: ch, weights: channelWeights(ch), shelf: shelf, hp: hp,
		chans: make([]meterChannel, ch), stepLen: int(math.Round(float64(rate) / 10)),
		stepAcc: make([]float64, ch), recent: make([]float64, 30),
		tp: newTruePeak(rate),
	}
}

// Write adds interleaved samples (a whole number of frames).
func (m *Meter) Write(pcm []float32) {
	frames := len(pcm) / m.ch
	if frames == 0 {
		return
	}
	first := m.stepLen - m.stepPos // frames up to the next step boundary
	for c := range m.chans {
		m.chans[c].measure(m, pcm, c, frames, first)
	}
	for i, j := 0, 0; i < frames; j++ {
		seg := min(frames-i, m.stepLen-m.stepPos)
		for c := range m.chans {
			m.stepAcc[c] += m.chans[c].sums[j]
		}
		i += seg
		m.stepPos += seg
		if m.stepPos == m.stepLen {
			m.endStep()
		}
	}
}

// measureStream is measure for a channel measured apart from the others,
// block after block: it keeps its own step position and records each
// completed step's sum; Meter.addChannelSteps combines them at the end,
// adding in the same order as Write, so the result is the same.
func (mc *meterChannel) measureStream(m *Meter, pcm []float32, c int) {
	frames := len(pcm) / m.ch
	mc.measure(m, pcm, c, frames, m.stepLen-mc.stepPos)
	for i, j := 0, 0; i < frames; j++ {
		seg := min(frames-i, m.stepLen-mc.stepPos)
		mc.stepAcc += mc.sums[j]
		i += seg
		mc.stepPos += seg
		if mc.stepPos == m.stepLen {
			mc.steps = append(mc.steps, mc.stepAcc)
			mc.stepAcc, mc.stepPos = 0, 0
		}
	}
}

// addChannelSteps feeds the steps that every channel measured with
// measureStream has completed into the gating, as Write would have.
func (m *Meter) addChannelSteps() {
	n := len(m.chans[0].steps)
	for _, mc := range m.chans {
		n = min(n, len(mc.steps))
	}
	for k := 0; k < n; k++ {
		for c, mc := range m.chans {
			m.stepAcc[c] = mc.steps[k]
		}
		m.endStep()
	}
	for c := range m.chans {
		m.chans[c].steps = m.chans[c].steps[:0]
	}
}

// measure takes channel c of the interleaved block pcm: it updates the
// true peak and records the K-weighted sum of squares of each stretch
// between 100 ms step boundaries, the first boundary being first frames in.
func (mc *meterChannel) measure(m *Meter, pcm []float32, c, frames, first int) {
	keep := len(mc.x)
	if cap(mc.x) < keep+frames {
		mc.x = append(make([]float64, 0, keep+frames), mc.x...)
	}
	x := mc.x[:keep+frames]
	block := x[keep:]
	for i := range block {
		block[i] = float64(pcm[i*m.ch+c])
	}
	if m.tp != nil {
		mc.peak = m.tp.scan(x, mc.peak)
	}
	mc.sums = mc.sums[:0]
	for i := 0; i < frames; {
		seg := min(frames-i, first)
		mc.sums = append(mc.sums, mc.kw.filter(m.shelf, m.hp, block[i:i+seg]))
		i += seg
		first = m.stepLen
	}
	// Keep denormals away after long silences.
	for k, v := range mc.kw {
		if math.Abs(v) < 1e-30 {
			mc.kw[k] = 0
		}
	}
	hist := 0
	if m.tp != nil {
		hist = min(len(x), m.tp.history())
	}
	mc.x = x[:copy(x, x[len(x)-hist:])]
}

func (m *Meter) endStep() {
	e := 0.0
	for c, acc := range m.stepAcc {
		e += m.weights[c] * acc / float64(m.stepLen)
		m.stepAcc[c] = 0
	}
	m.stepPos = 0
	m.recent[m.nsteps%30] = e
	m.nsteps++
	if m.nsteps >= 4 {
		m.blocks = append(m.blocks, m.mean(4))
	}
	if m.nsteps >= 30 {
		m.short = append(m.short, m.mean(30))
	}
}

// mean is the average of the last n step energies.
func (m *Meter) mean(n int) float64 {
	s := 0.0
	for k := 1; k <= n; k++ {
		s += m.recent[(m.nsteps-k)%30]
	}
	return s / float64(n)
}

// Loudness returns the measurement of everything written so far.
func (m *Meter) Loudness() Loudness {
	l := Loudness{blocks: append([]float64(nil), m.blocks...)}
	l.Integrated, l.Silent = gatedLoudness(m.blocks, -10)
	l.Range = loudnessRange(m.short)
	for _, mc := range m.chans {
		l.Peak = math.Max(l.Peak, mc.peak)
	}
	l.TruePeak = toDB(l.Peak)
	if !l.Silent {
		l.Gain = ReferenceLoudness - l.Integrated
	}
	return l
}

func lufs(energy float64) float64 { return -0.691 + 10*math.Log10(energy) }

func toDB(lin float64) float64 {
	if lin <= 0 {
		return -200
	}
	return 20 * math.Log10(lin)
}

// energyOf is the mean square that reads as lufs LUFS.
func energyOf(l float64) float64 { return math.Pow(10, (l+0.691)/10) }

// meanAbove is the mean of the energies above floor, and their count.
func meanAbove(es []float64, floor float64) (float64, int) {
	sum, n := 0.0, 0
	for _, e := range es {
		if e > floor {
			sum += e
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// relativeGate returns the energy threshold of BS.1770's two-stage gate:
// the -70 LUFS absolute gate, then relLU below the absolute-gated mean.
// ok is false when nothing passes the absolute gate.
func relativeGate(es []float64, relLU float64) (float64, bool) {
	abs := energyOf(-70)
	m, n := meanAbove(es, abs)
	if n == 0 {
		return 0, false
	}
	return math.Max(abs, energyOf(lufs(m)+relLU)), true
}

// gatedLoudness is the gated programme loudness of 400 ms block energies.
func gatedLoudness(blocks []float64, relLU float64) (float64, bool) {
	gate, ok := relativeGate(blocks, relLU)
	if !ok {
		return SilenceLUFS, true
	}
	m, _ := meanAbove(blocks, gate)
	return lufs(m), false
}

// loudnessRange is EBU Tech 3342's LRA: the spread between the 10th and
// 95th percentiles of short-term loudness after a -70 LUFS absolute and a
// -20 LU relative gate.
func loudnessRange(short []float64) float64 {
	gate, ok := relativeGate(short, -20)
	if !ok {
		return 0
	}
	var ls []float64
	for _, e := range short {
		if e > gate {
			ls = append(ls, lufs(e))
		}
	}
	if len(ls) == 0 {
		return 0
	}
	sort.Float64s(ls)
	pct := func(p float64) float64 { return ls[int(math.Round(p*float64(len(ls)-1)))] }
	return pct(0.95) - pct(0.10)
}
