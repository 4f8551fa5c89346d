package offlinecrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"io"

	music "github.com/openmusic/music"
)

// Container layout: a header, then chunks. Chunk i is the AES-256-GCM seal
// of plaintext bytes [i*ChunkSize, (i+1)*ChunkSize) under the nonce i, with
// the header, i and a final flag as additional data, so a chunk that is
// moved, dropped or cut off at a chunk boundary fails to open.
const (
	// KeySize is the length of a content key (AES-256).
	KeySize = 32
	// DefaultChunkSize is the plaintext bytes per chunk.
	DefaultChunkSize = 64 << 10
	// HeaderSize is the length of the container header.
	HeaderSize = 12
	// Overhead is the bytes GCM adds to each chunk.
	Overhead = 16

	minChunkSize = 1 << 10
	maxChunkSize = 1 << 20
	version      = 1
)

var magic = [4]byte{'M', 'O', 'F', 'L'}

// Header is the container's plain header.
type Header struct {
	ChunkSize int
}

// MarshalBinary encodes the header.
func (h Header) MarshalBinary() ([]byte, error) {
	if h.ChunkSize < minChunkSize || h.ChunkSize > maxChunkSize {
		return nil, music.Errorf(music.EINVALID, "offline container: chunk size %d outside %d..%d", h.ChunkSize, minChunkSize, maxChunkSize)
	}
	b := make([]byte, HeaderSize)
	copy(b, magic[:])
	b[4] = version
	binary.BigEndian.PutUint32(b[8:], uint32(h.ChunkSize))
	return b, nil
}

// ParseHeader decodes a container header: the first HeaderSize bytes of
// an encrypted object.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderSize {
		return Header{}, music.Errorf(music.EINVALID, "offline container: header is %d bytes, want %d", len(b), HeaderSize)
	}
	if !bytes.Equal(b[:4], magic[:]) {
		return Header{}, music.Errorf(music.EINVALID, "offline container: not an encrypted track (bad magic)")
	}
	if b[4] != version {
		return Header{}, music.Errorf(music.EUNSUPPORTED, "offline container: version %d, want %d", b[4], version)
	}
	if b[5] != 0 || b[6] != 0 || b[7] != 0 {
		return Header{}, music.Errorf(music.EINVALID, "offline container: reserved header bytes are not zero")
	}
	size := int(binary.BigEndian.Uint32(b[8:]))
	if size < minChunkSize || size > maxChunkSize {
		return Header{}, music.Errorf(music.EINVALID, "offline container: chunk size %d outside %d..%d", size, minChunkSize, maxChunkSize)
	}
	return Header{ChunkSize: size}, nil
}

// NewKey returns a fresh random content key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("offlinecrypt: no randomness: " + err.Error())
	}
	return k
}

// EncryptedSize is the size of the container for plainSize bytes.
func EncryptedSize(plainSize int64, chunkSize int) int64 {
	chunks := (plainSize + int64(chunkSize) - 1) / int64(chunkSize)
	if chunks == 0 {
		chunks = 1 // an empty track still has one (empty, final) chunk
	}
	return HeaderSize + plainSize + chunks*Overhead
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, music.Errorf(music.EINVALID, "offline content key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// chunkNonce and chunkAD bind a chunk to its position and to whether it
// is the last one. Each content key seals one object, so the counter
// nonce never repeats under a key.
func chunkNonce(dst []byte, index uint64) []byte {
	dst = dst[:12]
	clear(dst[:4])
	binary.BigEndian.PutUint64(dst[4:], index)
	return dst
}

func chunkAD(dst, header []byte, index uint64, final bool) []byte {
	dst = append(dst[:0], header...)
	dst = binary.BigEndian.AppendUint64(dst, index)
	if final {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// Encrypt seals src into dst as a container under key, one chunk at a
// time; memory stays at two chunks whatever the size. It returns the
// container's length.
func Encrypt(dst io.Writer, src io.Reader, key []byte, chunkSize int) (int64, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return 0, err
	}
	header, err := Header{ChunkSize: chunkSize}.MarshalBinary()
	if err != nil {
		return 0, err
	}
	if _, err := dst.Write(header); err != nil {
		return 0, err
	}
	written := int64(len(header))
	// Read one chunk ahead: a chunk is final when nothing follows it.
	cur := make([]byte, chunkSize)
	next := make([]byte, chunkSize)
	out := make([]byte, 0, chunkSize+Overhead)
	nonce := make([]byte, 12)
	ad := make([]byte, 0, HeaderSize+9)
	n, err := io.ReadFull(src, cur)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return written, err
	}
	for index := uint64(0); ; index++ {
		var m int
		if n == chunkSize {
			m, err = io.ReadFull(src, next)
			if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
				return written, err
			}
		}
		final := m == 0
		out = aead.Seal(out[:0], chunkNonce(nonce, index), cur[:n], chunkAD(ad, header, index, final))
		if _, err := dst.Write(out); err != nil {
			return written, err
		}
		written += int64(len(out))
		if final {
			return written, nil
		}
		cur, next, n = next, cur, m
	}
}
