package blobcheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"

	"github.com/openmusic/music"
)

// SHA256Hex checks that s is a SHA-256 digest in lowercase hex.
func SHA256Hex(s string) error {
	if len(s) != 2*sha256.Size {
		return music.Errorf(music.EINVALID, "SHA-256 %s: want 64 lowercase hex digits", quote(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return music.Errorf(music.EINVALID, "SHA-256 %s: want 64 lowercase hex digits", quote(s))
		}
	}
	return nil
}

// Mismatch is the EINVALID error Put returns when the bytes it received do
// not hash to the digest the caller promised.
func Mismatch(key, got, want string) error {
	return music.Errorf(music.EINVALID, "put %s: SHA-256 mismatch: data hashes to %s, caller expected %s", quote(key), got, want)
}

// Corrupt is the error a read returns when a stored object no longer
// hashes to its recorded digest.
func Corrupt(key, got, want string) error {
	return music.Errorf(music.EINTERNAL, "blob %s is corrupt: SHA-256 of stored bytes is %s, recorded %s", quote(key), got, want)
}

// Verifier wraps an object's body: it hashes every byte read and, at the
// end, returns a Corrupt error instead of io.EOF when the digest differs.
type Verifier struct {
	rc   io.ReadCloser
	h    hash.Hash
	key  string
	want string
	err  error // sticky result once the body is exhausted
}

// NewVerifier returns a reader over rc that checks the body against want.
func NewVerifier(rc io.ReadCloser, key, want string) *Verifier {
	return &Verifier{rc: rc, h: sha256.New(), key: key, want: want}
}

// Read reads from the body, hashing as it goes.
func (v *Verifier) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.rc.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			err = Corrupt(v.key, got, v.want)
		}
		v.err = err
	}
	return n, err
}

// Close closes the body.
func (v *Verifier) Close() error { return v.rc.Close() }

// ContextReader returns a reader that fails with the context's error once
// ctx is done, so a long copy into a store stops when the caller gives up.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return ctxReader{ctx, r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
