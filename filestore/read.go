package filestore

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// OpenFile opens the object as a plain file, for http.ServeContent and
// sendfile. The bytes are not verified while read; callers that need the
// check use Get. The caller closes the file.
func (s *Store) OpenFile(ctx context.Context, key string) (*os.File, music.BlobInfo, error) {
	if err := checkKey("open", key); err != nil {
		return nil, music.BlobInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, music.BlobInfo{}, fmt.Errorf("open %s: %w", key, err)
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, music.BlobInfo{}, mapErr("open", key, err)
	}
	info, err := infoOf(f, key)
	if err != nil {
		f.Close()
		return nil, music.BlobInfo{}, err
	}
	return f, info, nil
}

// infoOf reads an open object's metadata. The file descriptor pins the
// inode, so size and digest belong to the same version of the object.
func infoOf(f *os.File, key string) (music.BlobInfo, error) {
	st, err := f.Stat()
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("stat %s: %w", key, err)
	}
	if !st.Mode().IsRegular() {
		return music.BlobInfo{}, music.Errorf(music.ENOTFOUND, "stat %s: no such object", key)
	}
	sha, ctype, err := getMeta(f)
	if err != nil {
		return music.BlobInfo{}, fmt.Errorf("stat %s: %w", key, err)
	}
	if sha == "" {
		return music.BlobInfo{}, music.Errorf(music.EINTERNAL, "blob %s has no recorded SHA-256 (file not written by the store?)", key)
	}
	return music.BlobInfo{Key: key, Size: st.Size(), SHA256: sha, ContentType: ctype, ModTime: st.ModTime()}, nil
}

// Get opens the object; the reader checks the SHA-256 at the end.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, music.BlobInfo, error) {
	f, info, err := s.OpenFile(ctx, key)
	if err != nil {
		return nil, music.BlobInfo{}, err
	}
	return blobcheck.NewVerifier(f, key, info.SHA256), info, nil
}

// GetRange opens length bytes from offset (length < 0: to the end). An
// offset at or past the end is EINVALID; a length past the end is cut.
func (s *Store) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, music.BlobInfo, error) {
	if err := checkKey("get range", key); err != nil {
		return nil, music.BlobInfo{}, err
	}
	if offset < 0 {
		return nil, music.BlobInfo{}, music.Errorf(music.EINVALID, "get range %s: negative offset %d", key, offset)
	}
	f, info, err := s.OpenFile(ctx, key)
	if err != nil {
		return nil, music.BlobInfo{}, err
	}
	n, err := clampRange(key, offset, length, info.Size)
	if err != nil {
		f.Close()
		return nil, music.BlobInfo{}, err
	}
	return rangeReader{io.NewSectionReader(f, offset, n), f}, info, nil
}

// clampRange checks offset against size and returns how many bytes the
// range covers.
func clampRange(key string, offset, length, size int64) (int64, error) {
	if offset >= size {
		return 0, music.Errorf(music.EINVALID, "get range %s: offset %d is at or past the end (size %d)", key, offset, size)
	}
	if length < 0 || length > size-offset {
		return size - offset, nil
	}
	return length, nil
}

// rangeReader reads a section and closes the file under it.
type rangeReader struct {
	*io.SectionReader
	f *os.File
}

func (r rangeReader) Close() error { return r.f.Close() }

// Stat returns the object's metadata.
func (s *Store) Stat(ctx context.Context, key string) (music.BlobInfo, error) {
	f, info, err := s.OpenFile(ctx, key)
	if err != nil {
		return music.BlobInfo{}, err
	}
	f.Close()
	return info, nil
}
