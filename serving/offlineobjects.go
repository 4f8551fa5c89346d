package serving

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/offlinecrypt"
)

// offlineObjects makes the encrypted copy of a rendition on its first
// download (lazily: sealing costs about 3 ms per track per core, so no
// ingest time is spent on copies nobody downloads). Concurrent first
// downloads of one rendition in a process wait for one encryption; two
// processes racing both encrypt, the store keeps the first copy and the
// loser deletes its own.
type offlineObjects struct {
	store music.OfflineStore
	blobs music.BlobStore
	keys  *offlinecrypt.Keyring

	mu       sync.Mutex
	inflight map[string]*objectCall
	known    map[string]*music.OfflineObject // recorded objects never change
	made     atomic.Int64                    // encryptions run, for tests
}

// maxKnownObjects bounds the cache of recorded objects; past it the cache
// starts again empty.
const maxKnownObjects = 100000

type objectCall struct {
	done chan struct{}
	obj  *music.OfflineObject
	err  error
}

// encryptTimeout bounds one encryption, which runs on even when the
// request that started it is gone (others may be waiting for it).
const encryptTimeout = 5 * time.Minute

// get returns the encrypted copy of rd, a rendition of a track or an
// episode (kind), and its content key.
func (o *offlineObjects) get(ctx context.Context, kind string, rd music.Rendition) (*music.OfflineObject, []byte, error) {
	o.mu.Lock()
	obj := o.known[rd.BlobKey]
	o.mu.Unlock()
	if obj == nil {
		var err error
		obj, err = o.store.OfflineObject(ctx, rd.BlobKey)
		if music.ErrorCode(err) == music.ENOTFOUND {
			obj, err = o.once(ctx, kind, rd)
		}
		if err != nil {
			return nil, nil, err
		}
		o.mu.Lock()
		if o.known == nil || len(o.known) >= maxKnownObjects {
			o.known = map[string]*music.OfflineObject{}
		}
		o.known[rd.BlobKey] = obj
		o.mu.Unlock()
	}
	key, err := o.keys.OpenKey(obj.SealedKey, obj.BlobKey)
	return obj, key, err
}

// once runs one encryption of rd per process at a time.
func (o *offlineObjects) once(ctx context.Context, kind string, rd music.Rendition) (*music.OfflineObject, error) {
	o.mu.Lock()
	c, ok := o.inflight[rd.BlobKey]
	if !ok {
		c = &objectCall{done: make(chan struct{})}
		o.inflight[rd.BlobKey] = c
		go func() {
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), encryptTimeout)
			defer cancel()
			c.obj, c.err = o.encrypt(wctx, kind, rd)
			o.mu.Lock()
			delete(o.inflight, rd.BlobKey)
			o.mu.Unlock()
			close(c.done)
		}()
	}
	o.mu.Unlock()
	select {
	case <-c.done:
		return c.obj, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// encrypt seals the rendition through a temporary file (memory stays at
// two chunks), stores it and records it.
func (o *offlineObjects) encrypt(ctx context.Context, kind string, rd music.Rendition) (*music.OfflineObject, error) {
	o.made.Add(1)
	src, _, err := o.blobs.Get(ctx, rd.BlobKey)
	if err != nil {
		return nil, fmt.Errorf("offline copy of %s: %w", rd.BlobKey, err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp("", "offline-*.mofl")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	key := offlinecrypt.NewKey()
	if _, err := offlinecrypt.Encrypt(tmp, src, key, offlinecrypt.DefaultChunkSize); err != nil {
		return nil, fmt.Errorf("offline copy of %s: %w", rd.BlobKey, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	id := make([]byte, 6)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	blobKey := blobkey.Offline(rd.TrackID, hex.EncodeToString(id), rd.Rung)
	if kind == music.OfflineEpisode { // an episode's rendition holds its ID as TrackID
		blobKey = blobkey.OfflineEpisode(rd.TrackID, hex.EncodeToString(id), rd.Rung)
	}
	info, err := o.blobs.Put(ctx, blobKey, tmp, music.PutOptions{ContentType: offlineContentType})
	if err != nil {
		return nil, fmt.Errorf("offline copy of %s: %w", rd.BlobKey, err)
	}
	kept, err := o.store.PutOfflineObject(ctx, music.OfflineObject{RenditionKey: rd.BlobKey, BlobKey: blobKey,
		Bytes: info.Size, SHA256: info.SHA256, SealedKey: o.keys.SealKey(key, blobKey)})
	if err != nil || kept.BlobKey != blobKey {
		// Another server's copy won, or none was recorded: ours is litter.
		_ = o.blobs.Delete(context.WithoutCancel(ctx), blobKey)
	}
	return kept, err
}

// offlineContentType is how encrypted objects are labelled.
const offlineContentType = "application/vnd.openmusic.offline"
