package workflows

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/fingerprint"
)

// FingerprintAlgorithm names our fingerprints in the catalog: Chromaprint's
// default algorithm, which fpcalc calls algorithm 2 in its output.
const FingerprintAlgorithm = "chromaprint2"

// Analysis is AnalyzeTrack's verdict on one delivered master.
type Analysis struct {
	// Unchanged is the catalog's track when it has this ISRC and was
	// delivered from the same master bytes: nothing to re-encode.
	Unchanged *music.Track `json:"unchanged,omitempty"`
	// Link is an existing track with the same recording (identical PCM,
	// or a fingerprint match within fingerprint.DefaultPolicy) whose
	// renditions the new track shares instead of storing a second copy.
	Link        *music.Track       `json:"link,omitempty"`
	Dedup       music.Dedup        `json:"dedup"`
	Fingerprint *music.Fingerprint `json:"fingerprint,omitempty"`
}

// AnalyzeTrack decides what a delivered master needs. Dedup policy:
//   - same ISRC, same master SHA-256 as the catalog's track: unchanged;
//   - identical decoded PCM, or fingerprint bit-error rate <= 0.06 over
//     >= 80% of the shorter track, against another track:
//     same_recording, linked to it (its renditions are reused); when
//     another label account owns that track: held, encoded on its own
//     and the release kept unpublished for an ops review;
//   - bit-error rate <= 0.25: similar, flagged with the match but encoded
//     as its own recording (remasters land here);
//   - otherwise new.
//
// Score is the bit agreement of the best alignment (1 - bit-error rate).
func (a *Activities) AnalyzeTrack(ctx context.Context, in TrackInput) (Analysis, error) {
	old, err := a.Catalog.TrackByISRC(ctx, in.Track.ISRC, music.Visibility{})
	switch {
	case err == nil && old.MasterSHA256 == in.Track.MasterSHA256 && len(old.Renditions) == len(music.Rungs):
		return Analysis{Unchanged: old, Dedup: old.Dedup}, nil
	case err != nil && music.ErrorCode(err) != music.ENOTFOUND:
		return Analysis{}, err
	}
	var fp *fingerprint.Result
	start := time.Now()
	err = a.withMaster(ctx, "fingerprint", in.SourceKey, func(src, _ string, _ func(Heartbeat)) error {
		var err error
		fp, err = fingerprint.FromFile(ctx, src, fingerprint.Options{HashPCM: true})
		return permanent(err)
	})
	a.Metrics.observeStage(StageFingerprint, start, &err)
	if err != nil {
		return Analysis{}, err
	}
	dec, err := a.Fingerprints.Dedup(ctx, fingerprint.Entry{Items: fp.Items, PCMHash: fp.PCMHash}, fingerprint.DefaultPolicy)
	if err != nil {
		return Analysis{}, err
	}
	an := Analysis{
		Dedup: music.Dedup{Decision: music.DedupNew},
		Fingerprint: &music.Fingerprint{
			TrackID:     in.Track.ID,
			Algorithm:   FingerprintAlgorithm,
			Fingerprint: fp.Encoded(),
			PCMSHA256:   hex.EncodeToString(fp.PCMHash[:]),
			Duration:    time.Duration(fp.Duration * float64(time.Second)),
		},
	}
	if dec.TrackID == "" || dec.TrackID == in.Track.ID {
		return an, nil // new, or this ISRC's own earlier master
	}
	an.Dedup = music.Dedup{Decision: music.DedupSimilar, MatchedTrackID: dec.TrackID, Score: 1 - dec.BitErrorRate}
	if dec.Verdict != fingerprint.Exact && dec.Verdict != fingerprint.SameRecording {
		return an, nil
	}
	an.Dedup.Decision = music.DedupSameRecording
	orig, err := a.Catalog.Track(ctx, dec.TrackID, music.Visibility{})
	switch {
	case err == nil && len(orig.Renditions) == len(music.Rungs):
		owner, err := a.trackOwner(ctx, orig.ID)
		if err != nil {
			return Analysis{}, err
		}
		if owner != in.Owner {
			// Another label's recording: never link to it silently; keep
			// this one apart and let ops decide who may publish it.
			an.Dedup.Decision = music.DedupHeld
			return an, nil
		}
		an.Link = orig
	case err != nil && music.ErrorCode(err) != music.ENOTFOUND:
		return Analysis{}, err
	}
	// A match the catalog no longer holds (a stale index entry) or that
	// lacks renditions cannot be shared: encode this one on its own.
	return an, nil
}

// Encoded is EncodeLadder's result.
type Encoded struct {
	Renditions []music.Rendition `json:"renditions"`
	Loudness   TrackLoudness     `json:"loudness"`
	// Features were measured in the same decoding pass (nil from workers
	// older than audio features).
	Features *music.AudioFeatures `json:"features,omitempty"`
}

// EncodeLadder decodes the master once into the four Vorbis rungs and the
// preview (encode.EncodeTrack), measuring loudness and audio features on
// the way, uploads each with its SHA-256 to
// audio/{track_id}/{24,96,160,320}.ogg and audio/{track_id}/preview.mp3,
// and keeps the master at the track's MasterKey. Re-running it (after a
// crash) rewrites the same keys with the same bytes.
func (a *Activities) EncodeLadder(ctx context.Context, in TrackInput) (_ Encoded, err error) {
	defer a.Metrics.observeStage(StageEncode, time.Now(), &err)
	var enc Encoded
	err = a.withMaster(ctx, "encode", in.SourceKey, func(src, dir string, set func(Heartbeat)) error {
		out := filepath.Join(dir, "out")
		if err := os.Mkdir(out, 0o755); err != nil {
			return err
		}
		res, err := encode.EncodeTrack(ctx, src, out, encode.Options{
			Tags:         in.Tags,
			PreviewStart: in.PreviewStart,
			Progress:     func(f float64) { set(Heartbeat{Stage: "encode", Fraction: f}) },
		})
		if err != nil {
			return permanent(err)
		}
		a.Metrics.observeEncode(res.Stages)
		set(Heartbeat{Stage: "upload", Fraction: 1})
		enc.Loudness = newTrackLoudness(res.Loudness)
		enc.Features = &res.Features
		for _, r := range res.Renditions {
			rd, err := a.storeRendition(ctx, in.Track.ID, out, r)
			if err != nil {
				return err
			}
			enc.Renditions = append(enc.Renditions, rd)
		}
		_, err = a.upload(ctx, src, in.Track.MasterKey, "", in.Track.MasterSHA256)
		return err
	})
	return enc, err
}

// storeRendition uploads one encoded file. encode names files by rung,
// "160.ogg" … and "preview.mp3", as the catalog's rungs and the keys do.
// Keys name the content (audio/{id}/{sha256[:12]}/160.ogg): renditions
// are served as immutable, so an update with new audio gets new keys and
// new URLs, and never changes bytes a cache or a published release holds.
func (a *Activities) storeRendition(ctx context.Context, trackID, dir string, r encode.Rendition) (music.Rendition, error) {
	ext := filepath.Ext(r.Path)
	rung := strings.TrimSuffix(r.Path, ext)
	key := blobkey.Rendition(trackID, r.SHA256, rung+ext)
	ctype := "audio/ogg"
	if r.Codec == "mp3" {
		ctype = "audio/mpeg"
	}
	if _, err := a.upload(ctx, filepath.Join(dir, r.Path), key, ctype, r.SHA256); err != nil {
		return music.Rendition{}, err
	}
	return music.Rendition{
		TrackID: trackID, Rung: rung, BlobKey: key, Bytes: r.Bytes, SHA256: r.SHA256,
		Codec: r.Codec, Bitrate: r.Bitrate, SampleRate: r.SampleRate, Channels: r.Channels, Samples: r.Samples,
	}, nil
}

// MeasureLoudness measures a master for tracks that are not re-encoded,
// because the album gain gates over every track's loudness blocks.
func (a *Activities) MeasureLoudness(ctx context.Context, sourceKey string) (TrackLoudness, error) {
	var tl TrackLoudness
	err := a.withMaster(ctx, "loudness", sourceKey, func(src, _ string, _ func(Heartbeat)) error {
		l, err := encode.Analyze(ctx, src)
		tl = newTrackLoudness(l)
		return permanent(err)
	})
	return tl, err
}

// withMaster is what every audio activity does around its work: take a
// CPU slot, heartbeat stage until done, and fetch the master at key into
// a scratch dir that is removed afterwards. work may report progress.
func (a *Activities) withMaster(ctx context.Context, stage, key string, work func(src, dir string, progress func(Heartbeat)) error) error {
	release, err := a.cpu().acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	set, stop := keepAlive(ctx, stage)
	defer stop()
	dir, err := a.scratchDir(stage + "-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src, err := a.fetch(ctx, key, dir)
	if err != nil {
		return permanent(err)
	}
	return work(src, dir, set)
}

// defaultCPU serves Activities built without CPU slots of their own.
var defaultCPU = NewCPUSlots(0)

func (a *Activities) cpu() *CPUSlots {
	if a.CPU == nil {
		return defaultCPU
	}
	return a.CPU
}
