package workflows

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/rss"
	"github.com/openmusic/music/webfetch"
)

// fetchEpisodeFiles fetches, checks and stores an episode's chapters and
// transcript beside its audio version (podcasts/{episode}/{version}/).
// A file that cannot be had or does not parse is recorded with its
// error and not stored; it never holds the episode back, and the next
// fetch of the episode tries again.
func (a *Activities) fetchEpisodeFiles(ctx context.Context, ref EpisodeRef, dir string) []music.EpisodeFile {
	var files []music.EpisodeFile
	for _, side := range []struct {
		kind  string
		link  music.Link
		check func(mediaType string, data []byte) error
	}{
		{music.EpisodeChapters, ref.Chapters, func(_ string, data []byte) error { return rss.CheckChapters(data) }},
		{music.EpisodeTranscript, ref.Transcript, rss.CheckTranscript},
	} {
		if side.link.URL == "" {
			continue
		}
		f := music.EpisodeFile{Kind: side.kind, Type: side.link.Type}
		data, ctype, err := a.fetchSmall(ctx, side.link.URL)
		if err == nil {
			if f.Type == "" {
				f.Type = ctype
			}
			err = side.check(f.Type, data)
		}
		if err == nil {
			err = a.storeEpisodeFile(ctx, dir, data, &f)
		}
		if err != nil {
			f = music.EpisodeFile{Kind: side.kind, Type: f.Type, Error: side.link.URL + ": " + err.Error()}
		}
		files = append(files, f)
	}
	return files
}

// fetchSmall reads a side file of at most rss.MaxSideFileBytes.
func (a *Activities) fetchSmall(ctx context.Context, url string) ([]byte, string, error) {
	resp, err := a.Web.Get(ctx, url, webfetch.Validators{}, rss.MaxSideFileBytes)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return data, resp.ContentType, err
}

func (a *Activities) storeEpisodeFile(ctx context.Context, dir string, data []byte, f *music.EpisodeFile) error {
	sum := sha256.Sum256(data)
	f.SHA256, f.Bytes = hex.EncodeToString(sum[:]), int64(len(data))
	f.Key = dir + f.Kind
	_, err := a.Blobs.Put(ctx, f.Key, bytes.NewReader(data), music.PutOptions{ContentType: f.Type, SHA256: f.SHA256})
	return err
}
