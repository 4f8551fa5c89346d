package music

import (
	"context"
	"io"
	"time"
)

// BlobInfo describes one stored object.
type BlobInfo struct {
	Key         string
	Size        int64
	SHA256      string // lowercase hex of the whole object
	ContentType string
	ModTime     time.Time
}

// PutOptions tunes one BlobStore.Put.
type PutOptions struct {
	// ContentType is kept with the object; empty means
	// application/octet-stream.
	ContentType string
	// SHA256, when set (lowercase hex), is the expected digest: Put fails
	// with EINVALID and stores nothing if the bytes do not match it.
	SHA256 string
}

// BlobStore keeps immutable objects under slash-separated keys. Every
// object carries its SHA-256. Writes are atomic: readers see either no
// object or the whole object, never a partial one. Reads verify the digest
// and fail at EOF on a mismatch. Implementations: filestore (file://DIR)
// and s3 (s3://bucket). A missing key is ENOTFOUND. A key with an empty
// segment, a leading slash, a backslash, a control character or a segment
// starting with "." (so also "." and "..") is EINVALID.
type BlobStore interface {
	// Put stores r under key, replacing any earlier object.
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (BlobInfo, error)
	// Get opens the object for reading. The reader verifies the SHA-256
	// while it is read and returns an error instead of io.EOF on mismatch.
	Get(ctx context.Context, key string) (io.ReadCloser, BlobInfo, error)
	// GetRange opens length bytes from offset (length < 0: to the end).
	// An offset at or past the end is EINVALID; a length reaching past
	// the end stops at the end. BlobInfo describes the whole object.
	// A range is not verifiable on its own; callers rely on Put's check.
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, BlobInfo, error)
	// Stat returns the object's metadata.
	Stat(ctx context.Context, key string) (BlobInfo, error)
	// Delete removes the object; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix, in key
	// order.
	List(ctx context.Context, prefix string, fn func(BlobInfo) error) error
}
