package offlinecrypt

import (
	"crypto/cipher"
	"io"

	music "github.com/openmusic/music"
)

// Reader opens a container for random access: a read decrypts and checks
// only the chunks it touches, so seeking into a track costs one chunk.
// It is an io.ReaderAt and an io.ReadSeeker over the plaintext.
type Reader struct {
	src       io.ReaderAt
	aead      cipher.AEAD
	header    []byte
	chunkSize int
	chunks    int64
	plainSize int64
	pos       int64

	cached int64 // index of the chunk in plain, -1 when none
	plain  []byte
	sealed []byte
	nonce  []byte
	ad     []byte
}

// NewReader checks the header of a container of size bytes read from src
// and returns a reader of its plaintext under key.
func NewReader(src io.ReaderAt, size int64, key []byte) (*Reader, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	header := make([]byte, HeaderSize)
	if got, err := src.ReadAt(header, 0); err != nil && got < HeaderSize {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, music.Errorf(music.EINVALID, "offline track: truncated header")
		}
		return nil, err
	}
	h, err := ParseHeader(header)
	if err != nil {
		return nil, err
	}
	body := size - HeaderSize
	full := int64(h.ChunkSize + Overhead)
	chunks := (body + full - 1) / full
	if body < Overhead || body-(chunks-1)*full < Overhead {
		return nil, music.Errorf(music.EINVALID, "offline track: truncated (%d bytes cannot hold whole chunks)", size)
	}
	return &Reader{
		src: src, aead: aead, header: header, chunkSize: h.ChunkSize,
		chunks: chunks, plainSize: body - chunks*Overhead, cached: -1,
		plain:  make([]byte, 0, h.ChunkSize),
		sealed: make([]byte, full),
		nonce:  make([]byte, 12),
		ad:     make([]byte, 0, HeaderSize+9),
	}, nil
}

// Size is the plaintext length.
func (r *Reader) Size() int64 { return r.plainSize }

// chunk decrypts chunk i into r.plain, or returns an error naming it.
func (r *Reader) chunk(i int64) error {
	if r.cached == i {
		return nil
	}
	r.cached = -1
	full := int64(r.chunkSize + Overhead)
	off := HeaderSize + i*full
	n := full
	if i == r.chunks-1 {
		n = HeaderSize + r.plainSize + r.chunks*Overhead - off
	}
	if got, err := r.src.ReadAt(r.sealed[:n], off); err != nil && got < int(n) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return music.Errorf(music.EINVALID, "offline track: chunk %d truncated", i)
		}
		return err
	}
	plain, err := r.aead.Open(r.plain[:0], chunkNonce(r.nonce, uint64(i)), r.sealed[:n], chunkAD(r.ad, r.header, uint64(i), i == r.chunks-1))
	if err != nil {
		return music.Errorf(music.EINVALID, "offline track: chunk %d failed authentication (tampered, truncated or the wrong key)", i)
	}
	r.plain, r.cached = plain, i
	return nil
}

// ReadAt reads plaintext at off.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, music.Errorf(music.EINVALID, "offline track: negative offset")
	}
	n := 0
	for n < len(p) {
		if off >= r.plainSize {
			return n, io.EOF
		}
		i := off / int64(r.chunkSize)
		if err := r.chunk(i); err != nil {
			return n, err
		}
		c := copy(p[n:], r.plain[off-i*int64(r.chunkSize):])
		n += c
		off += int64(c)
	}
	return n, nil
}

// Read reads plaintext from the current position.
func (r *Reader) Read(p []byte) (int, error) {
	if r.pos >= r.plainSize {
		return 0, io.EOF
	}
	if max := r.plainSize - r.pos; int64(len(p)) > max {
		p = p[:max]
	}
	n, err := r.ReadAt(p, r.pos)
	r.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek moves the read position in the plaintext.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.plainSize
	default:
		return 0, music.Errorf(music.EINVALID, "offline track: bad whence %d", whence)
	}
	if offset < 0 {
		return 0, music.Errorf(music.EINVALID, "offline track: seek before start")
	}
	r.pos = offset
	return offset, nil
}

// Verify decrypts every chunk and reports the first that fails: a sync
// checks a download with it before keeping the file.
func (r *Reader) Verify() error {
	for i := int64(0); i < r.chunks; i++ {
		if err := r.chunk(i); err != nil {
			return err
		}
	}
	return nil
}
