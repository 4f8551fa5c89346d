package fingerprint

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/openmusic/music/encode"
)

// endless is a decoder of noise that stops only after limit frames,
// whatever Frames claims, and counts what it was asked for.
type endless struct {
	format encode.Format
	limit  int64
	read   int64
	rng    *rand.Rand
}

func (e *endless) Format() encode.Format { return e.format }
func (e *endless) Close() error          { return nil }
func (e *endless) Read(dst []float32) (int, error) {
	if e.read >= e.limit {
		return 0, io.EOF
	}
	frames := min(int64(len(dst)/e.format.Channels), e.limit-e.read)
	n := int(frames) * e.format.Channels
	for i := range n {
		dst[i] = float32(e.rng.NormFloat64() * 0.1)
	}
	e.read += frames
	return n, nil
}

// TestSecurityIdentifyDecodesAtMost60s: an uploaded clip is decoded for
// MaxClipSeconds (plus the pieces in flight) however long it is and
// whatever its header claims, so a small, highly compressed upload of
// hours of audio costs no more CPU than a minute.
func TestSecurityIdentifyDecodesAtMost60s(t *testing.T) {
	ix, err := OpenIndex(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const rate = 44100
	for _, claimed := range []int64{-1, 10 * rate, 3600 * rate} {
		d := &endless{format: encode.Format{Codec: "flac", SampleRate: rate, Channels: 2, BitsPerSample: 16, Frames: claimed},
			limit: 20 * 60 * rate, rng: rand.New(rand.NewPCG(1, 2))}
		ix.IdentifyDecoder(context.Background(), d) // no match expected: only the work done matters
		if secs := float64(d.read) / rate; secs > MaxClipSeconds+10 {
			t.Errorf("header claims %d frames: decoded %.0f s of a 20-minute upload, want about %d s", claimed, secs, MaxClipSeconds)
		}
	}
}
