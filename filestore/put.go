package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/openmusic/music/internal/durable"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Put streams r into a locked temp file while hashing it, checks the
// digest, records it, fsyncs, and renames the file into place.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts music.PutOptions) (music.BlobInfo, error) {
	if err := checkKey("put", key); err != nil {
		return music.BlobInfo{}, err
	}
	if opts.SHA256 != "" {
		if err := blobcheck.SHA256Hex(opts.SHA256); err != nil {
			return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
		}
	}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if err := ctx.Err(); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	f, err := s.createTemp()
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	published := false
	defer func() {
		f.Close()
		if !published {
			os.Remove(f.Name())
		}
	}()

	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(f, h), blobcheck.ContextReader(ctx, r))
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if opts.SHA256 != "" && sum != opts.SHA256 {
		return music.BlobInfo{}, blobcheck.Mismatch(key, sum, opts.SHA256)
	}
	if err := setMeta(f, sum, opts.ContentType); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	if err := s.publish(f.Name(), key); err != nil {
		return music.BlobInfo{}, err
	}
	published = true
	return music.BlobInfo{Key: key, Size: size, SHA256: sum, ContentType: opts.ContentType, ModTime: st.ModTime()}, nil
}

// createTemp makes a temp file in .tmp and holds its writer lock.
func (s *Store) createTemp() (*os.File, error) {
	for {
		f, err := os.CreateTemp(s.tmp, "put-")
		if err != nil {
			return nil, err
		}
		linked, err := lockTemp(f)
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		if linked {
			return f, nil
		}
		f.Close() // Cleanup took it between create and lock; try again
	}
}

// publish renames the finished temp file to key's path and fsyncs the
// directory. A concurrent Delete may prune the parent directory between
// MkdirAll and Rename, so a vanished directory is retried.
func (s *Store) publish(tmp, key string) error {
	dst := s.path(key)
	for attempt := 0; ; attempt++ {
		if err := s.mkdirs(filepath.Dir(dst)); err != nil {
			return conflictOr("put", key, err)
		}
		err := os.Rename(tmp, dst)
		if err == nil {
			break
		}
		if errors.Is(err, fs.ErrNotExist) && attempt < 5 {
			continue
		}
		return conflictOr("put", key, err)
	}
	if err := durable.SyncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// conflictOr reports the file/prefix clash the layout cannot hold as
// ECONFLICT, and any other error as it is.
func conflictOr(op, key string, err error) error {
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENOTEMPTY) {
		return music.Errorf(music.ECONFLICT, "%s %s: the key clashes with an existing object or prefix (the file store cannot hold both \"a\" and \"a/b\")", op, key)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// mkdirs creates dir and its missing parents, fsyncing each parent that
// gained an entry so the new directories survive a crash.
func (s *Store) mkdirs(dir string) error {
	if dir == s.root {
		return nil
	}
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := s.mkdirs(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return durable.SyncDir(filepath.Dir(dir))
}
