// Package blobfile copies between a music.BlobStore and local files:
// activities and the CLI work on local copies of masters and deliveries,
// and upload a delivery's folder as it is.
package blobfile

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/openmusic/music"
)

// CopyToFile writes the object at key to the local file dst, creating
// its directory.
func CopyToFile(ctx context.Context, s music.BlobStore, key, dst string) error {
	rc, _, err := s.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", key, err)
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return fmt.Errorf("fetch %s: %w", key, err)
	}
	return f.Close()
}

// PutDir stores every regular file under dir at prefix + its slash-separated
// path relative to dir. Symlinks and other special files are skipped.
func PutDir(ctx context.Context, s music.BlobStore, dir, prefix string) error {
	return filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		key := prefix + filepath.ToSlash(rel)
		if _, err := s.Put(ctx, key, f, music.PutOptions{}); err != nil {
			return fmt.Errorf("upload %s to %s: %w", path, key, err)
		}
		return nil
	})
}
