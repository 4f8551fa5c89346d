// Package filestore is the music.BlobStore on a local directory (file://DIR),
// the default of `musicctl up`.
//
// Layout: the object under key "a/b/c" is the plain file DIR/a/b/c, so the
// serving layer can hand the *os.File to http.ServeContent (sendfile). Its
// SHA-256 and content type are extended attributes of that same file
// (user.music.sha256, user.music.content_type), written before the file
// gets its name: one rename publishes data and digest together, which a
// sidecar file could not. Open therefore refuses a file system without
// user xattrs (ext4, xfs, btrfs and tmpfs since Linux 6.6 have them).
//
// Writes go to a temp file in DIR/.tmp (same file system), are fsynced,
// renamed into place, and the directory is fsynced. Keys never start a
// segment with ".", so .tmp is never listed. Each writer holds an flock on
// its temp file; Cleanup removes temp files that nobody holds, which are
// the leftovers of a crashed writer.
//
// A key cannot be both an object and a prefix of another ("a" and "a/b"):
// the second Put is ECONFLICT. S3 allows both.
package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// tmpDir is the temp-file directory under the store's root.
const tmpDir = ".tmp"

// Store is a blob store rooted at one directory.
type Store struct {
	root string
	tmp  string
}

var _ music.BlobStore = (*Store)(nil)

// Open opens (creating if needed) the store at dir, checks that the file
// system keeps extended attributes, and removes temp files left by
// crashed writers.
func Open(ctx context.Context, dir string) (*Store, error) {
	if dir == "" {
		return nil, music.Errorf(music.EINVALID, "filestore: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("filestore %s: %w", dir, err)
	}
	s := &Store{root: abs, tmp: filepath.Join(abs, tmpDir)}
	if err := os.MkdirAll(s.tmp, 0o755); err != nil {
		return nil, music.Errorf(music.EINVALID, "filestore %s: cannot create directory: %v", abs, unwrapPath(err))
	}
	if err := probeXattr(s.tmp); err != nil {
		return nil, music.Errorf(music.EUNSUPPORTED, "filestore %s: file system does not keep user extended attributes, which hold each object's SHA-256: %v", abs, err)
	}
	if _, err := s.Cleanup(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the store's root directory.
func (s *Store) Dir() string { return s.root }

// path maps a validated key to its file.
func (s *Store) path(key string) string {
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// Cleanup removes temp files whose writer is gone (no flock held on them)
// and returns how many it removed.
func (s *Store) Cleanup(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return 0, fmt.Errorf("filestore cleanup %s: %w", s.tmp, err)
	}
	removed := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		ok, err := removeIfAbandoned(filepath.Join(s.tmp, e.Name()))
		if err != nil {
			return removed, fmt.Errorf("filestore cleanup: %w", err)
		}
		if ok {
			removed++
		}
	}
	return removed, nil
}

// notFound reports whether err means the key names no file.
func notFound(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// mapErr turns a file-system error about key into a domain error.
func mapErr(op, key string, err error) error {
	if notFound(err) {
		return music.Errorf(music.ENOTFOUND, "%s %s: no such object", op, key)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// unwrapPath drops the *PathError wrapper, whose path we print ourselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkKey validates key for op.
func checkKey(op, key string) error {
	if err := blobcheck.Key(key); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// keyOf returns the key of a file under root, slash-separated.
func (s *Store) keyOf(path string) string {
	rel := strings.TrimPrefix(path, s.root+string(filepath.Separator))
	return filepath.ToSlash(rel)
}
