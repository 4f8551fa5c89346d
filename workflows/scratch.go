package workflows

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/temporal"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobfile"
)

// scratchDir makes a fresh directory under Scratch for one activity.
func (a *Activities) scratchDir(pattern string) (string, error) {
	if err := os.MkdirAll(a.Scratch, 0o755); err != nil {
		return "", fmt.Errorf("scratch dir: %w", err)
	}
	return os.MkdirTemp(a.Scratch, pattern)
}

// fetch copies the blob at key to dir under its base name (decoders look
// at the content, but people reading a stuck scratch dir like names).
func (a *Activities) fetch(ctx context.Context, key, dir string) (string, error) {
	dst := filepath.Join(dir, path.Base(key))
	return dst, blobfile.CopyToFile(ctx, a.Blobs, key, dst)
}

// upload stores the local file src at key, verified against sha256.
func (a *Activities) upload(ctx context.Context, src, key, contentType, sha256 string) (music.BlobInfo, error) {
	f, err := os.Open(src)
	if err != nil {
		return music.BlobInfo{}, err
	}
	defer f.Close()
	info, err := a.Blobs.Put(ctx, key, f, music.PutOptions{ContentType: contentType, SHA256: sha256})
	if err != nil {
		return info, fmt.Errorf("upload %s: %w", key, err)
	}
	return info, nil
}

// keepAlive heartbeats the latest progress every heartbeatEvery until
// stop is called, so a slow step (a big download, a long encode) never
// looks like a dead worker.
func keepAlive(ctx context.Context, stage string) (set func(Heartbeat), stop func()) {
	latest := make(chan Heartbeat, 1)
	latest <- Heartbeat{Stage: stage}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				h := <-latest
				latest <- h
				heartbeat(ctx, h)
			}
		}
	}()
	set = func(h Heartbeat) {
		<-latest
		latest <- h
	}
	return set, func() { close(done) }
}

// permanent marks bad input (EINVALID, EUNSUPPORTED, ENOTFOUND) as a
// non-retryable error, since no retry can fix it; other errors (a store
// briefly down) are returned as they are and retried with backoff.
func permanent(err error) error {
	if err == nil {
		return nil
	}
	switch code := music.ErrorCode(err); code {
	case music.EINVALID, music.EUNSUPPORTED, music.ENOTFOUND:
		return temporal.NewNonRetryableApplicationError(err.Error(), code, err)
	}
	return err
}

// temporalNonRetryable wraps err so Temporal does not retry it.
func temporalNonRetryable(err error) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), music.ErrorCode(err), err)
}
