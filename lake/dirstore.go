package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	music "github.com/openmusic/music"
)

// DirStore is a minimal music.BlobStore over a local directory, enough for
// the lake's tests and for `musicctl royalty run --lake DIR` until the
// filestore package lands; then callers switch to filestore. It writes
// atomically (temp file + rename) but keeps no stored digest: Get
// re-hashes the file, and GetRange is unverified as the contract allows.
type DirStore struct{ Root string }

var _ music.BlobStore = DirStore{}

func (d DirStore) path(key string) (string, error) {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "..") || strings.Contains(key, "\\") {
		return "", music.Errorf(music.EINVALID, "blob key %q: not a clean relative key", key)
	}
	return filepath.Join(d.Root, filepath.FromSlash(key)), nil
}

// Put stores r under key atomically.
func (d DirStore) Put(ctx context.Context, key string, r io.Reader, opts music.PutOptions) (music.BlobInfo, error) {
	p, err := d.path(key)
	if err != nil {
		return music.BlobInfo{}, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(f.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if opts.SHA256 != "" && opts.SHA256 != sum {
		return music.BlobInfo{}, music.Errorf(music.EINVALID, "put %s: sha256 %s, want %s", key, sum, opts.SHA256)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	return music.BlobInfo{Key: key, Size: n, SHA256: sum, ContentType: opts.ContentType}, nil
}

// Get opens the object; the digest is not checked (no stored digest).
func (d DirStore) Get(ctx context.Context, key string) (io.ReadCloser, music.BlobInfo, error) {
	return d.GetRange(ctx, key, 0, -1)
}

// GetRange opens length bytes from offset.
func (d DirStore) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, music.BlobInfo, error) {
	info, err := d.Stat(ctx, key)
	if err != nil {
		return nil, info, err
	}
	p, _ := d.path(key)
	f, err := os.Open(p)
	if err != nil {
		return nil, info, fmt.Errorf("get %s: %w", key, err)
	}
	if length < 0 {
		length = info.Size - offset
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, offset, length), f}, info, nil
}

// Stat returns the object's size; SHA256 is left empty.
func (d DirStore) Stat(ctx context.Context, key string) (music.BlobInfo, error) {
	p, err := d.path(key)
	if err != nil {
		return music.BlobInfo{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return music.BlobInfo{}, music.Errorf(music.ENOTFOUND, "blob %s not found", key)
	}
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("stat %s: %w", key, err)
	}
	return music.BlobInfo{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Delete removes the object; a missing key is not an error.
func (d DirStore) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// List calls fn for each object under prefix in key order.
func (d DirStore) List(ctx context.Context, prefix string, fn func(music.BlobInfo) error) error {
	var keys []string
	// Walk only the deepest directory the prefix names.
	base := filepath.Join(d.Root, filepath.FromSlash(prefix[:strings.LastIndex(prefix, "/")+1]))
	err := filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if e.IsDir() || strings.HasPrefix(e.Name(), ".tmp-") {
			return nil
		}
		rel, _ := filepath.Rel(d.Root, p)
		if k := filepath.ToSlash(rel); strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		info, err := d.Stat(ctx, k)
		if err != nil {
			return err
		}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}
