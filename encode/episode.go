package encode

import (
	"context"
	"fmt"
	"math"
	"os"
)

// SpeechTarget is the programme loudness podcast episodes are normalised
// to: −16 LUFS, the level podcast platforms commonly ask of stereo
// speech, louder than the music reference because speech is listened to
// in noisy places and has little dynamic range to protect.
const SpeechTarget = -16.0

// speechPeakCeiling is the true peak the normalising gain may not push an
// episode past: the gain is lowered rather than the audio limited.
const speechPeakCeiling = -1.0

// SpeechLadder is the ladder's rungs that suit speech: 24 kbps for poor
// networks and 96 kbps, which is transparent for a voice. The music
// rungs above add bytes a listener cannot hear in speech.
var SpeechLadder = []Rung{Ladder[0], Ladder[1]}

// EpisodeResult is what EncodeEpisode produced. Loudness in Result is
// measured on the normalised audio, so its ReplayGain tags are right for
// the files as encoded.
type EpisodeResult struct {
	Result
	// Original is the loudness of the enclosure as published.
	Original Loudness `json:"original_loudness"`
	// AppliedGain is the gain applied before encoding, in dB.
	AppliedGain float64 `json:"applied_gain_db"`
}

// EncodeEpisode normalises a podcast enclosure (any format Open reads,
// MP3 included) to SpeechTarget and encodes the SpeechLadder rungs, with
// ReplayGain tags as for music. It reads the input twice: once to measure
// the loudness the gain depends on, once to encode. Like EncodeTrack it
// writes in a temporary directory inside outDir and renames the files
// into place only when everything succeeded, rendition.json last.
func EncodeEpisode(ctx context.Context, input, outDir string, opts Options) (*EpisodeResult, error) {
	original, err := Analyze(ctx, input)
	if err != nil {
		return nil, err
	}
	gain := speechGain(original)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	tmp, err := os.MkdirTemp(outDir, ".encode-*")
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	defer os.RemoveAll(tmp)
	d, err := Open(input)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	res := &EpisodeResult{Result: Result{Source: Source{Path: input, Format: d.Format()}, Stages: StageSeconds{}},
		Original: original, AppliedGain: gain}
	run, err := runLadder(ctx, amplified{Decoder: d, factor: float32(math.Pow(10, gain/20))}, tmp, &res.Result,
		throttle(opts.Progress), SpeechLadder)
	if err != nil {
		return nil, err
	}
	comments := vorbisComments(opts.Tags, res.Loudness, nil)
	for _, r := range run.rungs {
		rd, err := r.assemble(tmp, comments)
		if err != nil {
			return nil, err
		}
		res.Renditions = append(res.Renditions, rd)
	}
	if err := publish(tmp, outDir, &res.Result); err != nil {
		return nil, err
	}
	return res, nil
}

// speechGain is the gain that brings l to SpeechTarget, lowered so the
// true peak stays at or under speechPeakCeiling; silence gets none.
func speechGain(l Loudness) float64 {
	if l.Silent {
		return 0
	}
	gain := SpeechTarget - l.Integrated
	if headroom := speechPeakCeiling - l.TruePeak; gain > headroom {
		gain = headroom
	}
	return math.Round(gain*100) / 100
}

// amplified is a Decoder whose samples are scaled by factor.
type amplified struct {
	Decoder
	factor float32
}

func (a amplified) Read(dst []float32) (int, error) {
	n, err := a.Decoder.Read(dst)
	for i := range dst[:n] {
		dst[i] *= a.factor
	}
	return n, err
}
