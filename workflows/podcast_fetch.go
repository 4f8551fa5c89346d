package workflows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/webfetch"
)

// MaxEnclosureBytes caps an episode's audio file: a three-hour episode at
// 320 kbps is about 430 MB.
const MaxEnclosureBytes = 512 << 20

// FetchEpisode downloads an episode's enclosure (at most
// MaxEnclosureBytes), keeps it at podcasts/{episode}/{sha256[:12]}/
// original, normalises and encodes it (encode.EncodeEpisode) to
// audio/{episode}/{version}/{24,96}.ogg, keeps the chapters and
// transcript the feed links beside the original, and publishes the audio. Audio
// that cannot be had (a 404, too large, not audio, a private address) is
// a non-retryable error; a server that is down is retried. The workflow
// records the last error on the episode.
func (a *Activities) FetchEpisode(ctx context.Context, ref EpisodeRef) (music.EpisodeAudio, error) {
	release, err := a.cpu().acquire(ctx)
	if err != nil {
		return music.EpisodeAudio{}, err
	}
	defer release()
	set, stop := keepAlive(ctx, "download")
	defer stop()
	dir, err := a.scratchDir("episode-")
	if err != nil {
		return music.EpisodeAudio{}, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "original")
	sum, size, ctype, err := a.download(ctx, ref.URL, src)
	if err != nil {
		return music.EpisodeAudio{}, enclosureError(ref, err)
	}
	out := filepath.Join(dir, "out")
	set(Heartbeat{Stage: "encode"})
	res, err := encode.EncodeEpisode(ctx, src, out, encode.Options{
		Tags:     encode.Tags{Title: ref.Title, Album: ref.Show},
		Progress: func(f float64) { set(Heartbeat{Stage: "encode", Fraction: f}) },
	})
	if err != nil {
		return music.EpisodeAudio{}, enclosureError(ref, err)
	}
	set(Heartbeat{Stage: "upload", Fraction: 1})
	audio := music.EpisodeAudio{
		SourceURL: ref.URL, OriginalKey: "podcasts/" + ref.ID + "/" + sum[:blobkey.RenditionVersionLen] + "/original",
		OriginalSHA256: sum, OriginalBytes: size,
		Duration:     time.Duration(float64(res.Source.Frames) / float64(res.Source.Format.SampleRate) * float64(time.Second)),
		LoudnessLUFS: res.Loudness.Integrated, OriginalLUFS: res.Original.Integrated, GainDB: res.AppliedGain,
	}
	if _, err := a.upload(ctx, src, audio.OriginalKey, ctype, sum); err != nil {
		return music.EpisodeAudio{}, err
	}
	for _, r := range res.Renditions {
		rd, err := a.storeRendition(ctx, ref.ID, out, r)
		if err != nil {
			return music.EpisodeAudio{}, err
		}
		audio.Renditions = append(audio.Renditions, rd)
	}
	set(Heartbeat{Stage: "chapters and transcript", Fraction: 1})
	audio.Files = a.fetchEpisodeFiles(ctx, ref, strings.TrimSuffix(audio.OriginalKey, "original"))
	if err := a.Podcasts.SetEpisodeAudio(ctx, ref.ID, audio); err != nil {
		return music.EpisodeAudio{}, permanent(err)
	}
	return audio, nil
}

// download writes url's body to dst and returns its SHA-256, size and
// content type.
func (a *Activities) download(ctx context.Context, url, dst string) (sum string, size int64, ctype string, err error) {
	limit := a.EnclosureLimit
	if limit <= 0 {
		limit = MaxEnclosureBytes
	}
	resp, err := a.Web.Get(ctx, url, webfetch.Validators{}, limit)
	if err != nil {
		return "", 0, "", err
	}
	defer resp.Body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return "", 0, "", err
	}
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, "", err
	}
	return hex.EncodeToString(h.Sum(nil)), size, resp.ContentType, nil
}

// enclosureError says which episode and URL failed, and marks bad input
// (and refused addresses) as not worth retrying.
func enclosureError(ref EpisodeRef, err error) error {
	err = fmt.Errorf("episode %s: enclosure %s: %w", ref.ID, ref.URL, err)
	if music.ErrorCode(err) == music.EFORBIDDEN {
		return temporalNonRetryable(err)
	}
	return permanent(err)
}

// RecordEpisodeError stores why an episode's audio could not be fetched.
func (a *Activities) RecordEpisodeError(ctx context.Context, episodeID, msg string) error {
	return a.Podcasts.SetEpisodeAudioError(ctx, episodeID, msg)
}

// IndexEpisode brings a published episode into search when this worker
// holds the index (see Activities.Search); elsewhere it does nothing and
// the next reindex catches up.
func (a *Activities) IndexEpisode(ctx context.Context, episodeID string) error {
	if ix, ok := a.Search.(EpisodeIndexer); ok {
		return ix.IndexEpisode(ctx, episodeID)
	}
	return nil
}
