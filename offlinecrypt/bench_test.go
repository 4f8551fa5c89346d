package offlinecrypt

import (
	"bytes"
	"io"
	"testing"
)

// The side-by-side reference is `openssl speed -evp aes-256-gcm` at 16 KiB
// blocks, run by scripts/offline-bench.sh in the same invocation.
const benchSize = 8 << 20

func BenchmarkEncrypt(b *testing.B) {
	plain := randomBytes(benchSize, 1)
	key := NewKey()
	b.SetBytes(benchSize)
	for b.Loop() {
		if _, err := Encrypt(io.Discard, bytes.NewReader(plain), key, DefaultChunkSize); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	plain := randomBytes(benchSize, 1)
	key := NewKey()
	sealed := seal(b, plain, key, DefaultChunkSize)
	buf := make([]byte, 32<<10)
	b.SetBytes(benchSize)
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(sealed), int64(len(sealed)), key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil {
			b.Fatal(err)
		}
	}
}
