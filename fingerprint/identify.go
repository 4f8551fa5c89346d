package fingerprint

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
)

// IdentifyMaxBER is the highest bit-error rate Identify accepts. Clips of
// indexed music measured 0.02–0.2 (clean, 24 kbps, 10 dB SNR noise);
// clips of unrelated music never went below 0.33 (docs/benchmarks/fingerprint.md).
const IdentifyMaxBER = 0.28

// MinClipItems is the fewest non-silent items a clip must give: about
// 4.6 s of audio.
const MinClipItems = minOverlap

// MaxClipSeconds is how much of a clip IdentifyDecoder fingerprints.
const MaxClipSeconds = 60

// Identification is the track a clip was found in.
type Identification struct {
	TrackID string
	// OffsetSeconds is where the clip starts in the track.
	OffsetSeconds float64
	Match
}

// Identify finds the indexed track a clip fingerprint comes from. A silent
// or too-short clip is EINVALID; no convincing match is ENOTFOUND.
func (ix *Index) Identify(ctx context.Context, clip []uint32) (Identification, error) {
	if err := checkClip(clip); err != nil {
		return Identification{}, err
	}
	hits, err := ix.Query(ctx, clip, 1, 0)
	if err != nil {
		return Identification{}, err
	}
	if len(hits) == 0 || hits[0].BitErrorRate > IdentifyMaxBER {
		return Identification{}, music.Errorf(music.ENOTFOUND, "no indexed track matches the clip")
	}
	h := hits[0]
	return Identification{TrackID: h.TrackID, OffsetSeconds: float64(h.Offset) * ItemSeconds, Match: h.Match}, nil
}

// IdentifyDecoder fingerprints up to MaxClipSeconds of a decoded clip (an
// uploaded file, say) and identifies it.
func (ix *Index) IdentifyDecoder(ctx context.Context, d encode.Decoder) (Identification, error) {
	res, err := FromDecoder(ctx, d, Options{MaxSeconds: MaxClipSeconds, StopAtMax: true})
	if err != nil {
		return Identification{}, err
	}
	return ix.Identify(ctx, res.Items)
}

// IdentifyFile opens a clip with encode.Open and identifies it.
func (ix *Index) IdentifyFile(ctx context.Context, path string) (Identification, error) {
	d, err := encode.Open(path)
	if err != nil {
		return Identification{}, err
	}
	defer d.Close()
	id, err := ix.IdentifyDecoder(ctx, d)
	if err != nil {
		return id, fmt.Errorf("identify %s: %w", path, err)
	}
	return id, nil
}

// checkClip rejects clips that cannot identify anything.
func checkClip(clip []uint32) error {
	n := 0
	for _, v := range clip {
		if v != SilenceItem {
			n++
		}
	}
	switch {
	case len(clip) == 0 || (n == 0 && len(clip) < MinClipItems):
		return errTooShort(float64(len(clip)) * ItemSeconds)
	case n == 0:
		return music.Errorf(music.EINVALID, "clip is silent")
	case n < MinClipItems:
		return music.Errorf(music.EINVALID, "clip has too little audible audio: %d non-silent items, need %d (about %.1f s)", n, MinClipItems, MinDuration+float64(MinClipItems-1)*ItemSeconds)
	}
	return nil
}
