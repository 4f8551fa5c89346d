package offlinecrypt

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func seal(t testing.TB, plain, key []byte, chunk int) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := Encrypt(&buf, bytes.NewReader(plain), key, chunk)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n != EncryptedSize(int64(len(plain)), chunk) {
		t.Fatalf("wrote %d, buffer %d, EncryptedSize %d", n, buf.Len(), EncryptedSize(int64(len(plain)), chunk))
	}
	return buf.Bytes()
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	const chunk = 1024
	for _, size := range []int{0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 3*chunk + 17} {
		plain := randomBytes(size, uint64(size))
		key := NewKey()
		sealed := seal(t, plain, key, chunk)
		r, err := NewReader(bytes.NewReader(sealed), int64(len(sealed)), key)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if r.Size() != int64(size) {
			t.Fatalf("size %d: reader says %d", size, r.Size())
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("size %d: read back %d bytes, err %v", size, len(got), err)
		}
		if err := r.Verify(); err != nil {
			t.Fatalf("size %d: verify: %v", size, err)
		}
	}
}

func TestSeekReadsOnlyWhatItNeeds(t *testing.T) {
	const chunk = 1024
	plain := randomBytes(10*chunk+5, 7)
	key := NewKey()
	sealed := seal(t, plain, key, chunk)
	// Damage chunk 2: reads elsewhere still work, reads of it fail.
	sealed[HeaderSize+2*(chunk+Overhead)+10] ^= 1
	r, err := NewReader(bytes.NewReader(sealed), int64(len(sealed)), key)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := r.ReadAt(buf, 7*chunk+3); err != nil || !bytes.Equal(buf, plain[7*chunk+3:7*chunk+103]) {
		t.Fatalf("read in chunk 7: %v", err)
	}
	if _, err := r.Seek(9*chunk, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(rest, plain[9*chunk:]) {
		t.Fatalf("read from chunk 9: %v", err)
	}
	if _, err := r.ReadAt(buf, 2*chunk+1); err == nil || !strings.Contains(err.Error(), "chunk 2 failed authentication") {
		t.Fatalf("tampered chunk read: %v", err)
	}
}

func TestTamperingFails(t *testing.T) {
	const chunk = 1024
	plain := randomBytes(4*chunk+100, 9)
	key := NewKey()
	good := seal(t, plain, key, chunk)
	full := chunk + Overhead
	cases := map[string]func([]byte) []byte{
		"flip a ciphertext byte": func(b []byte) []byte { b[HeaderSize+full+5] ^= 0x80; return b },
		"flip a tag byte":        func(b []byte) []byte { b[HeaderSize+full-1] ^= 1; return b },
		"flip the last byte":     func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"flip a header byte":     func(b []byte) []byte { b[10] ^= 1; return b },
		"cut at a chunk boundary": func(b []byte) []byte {
			return b[:HeaderSize+3*full]
		},
		"cut inside a chunk": func(b []byte) []byte { return b[:len(b)-7] },
		"swap two chunks": func(b []byte) []byte {
			c1 := append([]byte{}, b[HeaderSize:HeaderSize+full]...)
			copy(b[HeaderSize:], b[HeaderSize+full:HeaderSize+2*full])
			copy(b[HeaderSize+full:], c1)
			return b
		},
		"drop a middle chunk": func(b []byte) []byte {
			return append(b[:HeaderSize+full:HeaderSize+full], b[HeaderSize+2*full:]...)
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			bad := damage(append([]byte{}, good...))
			r, err := NewReader(bytes.NewReader(bad), int64(len(bad)), key)
			if err == nil {
				_, err = io.ReadAll(r)
			}
			if err == nil {
				t.Fatal("damaged container read without error")
			}
		})
	}
	t.Run("another key", func(t *testing.T) {
		r, err := NewReader(bytes.NewReader(good), int64(len(good)), NewKey())
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Verify(); err == nil || !strings.Contains(err.Error(), "chunk 0 failed authentication") {
			t.Fatalf("another key: %v", err)
		}
	})
}

func TestHeaderRefusals(t *testing.T) {
	for _, h := range [][]byte{
		nil,
		[]byte("MOFL\x01\x00\x00"),
		[]byte("XXXX\x01\x00\x00\x00\x00\x01\x00\x00"),
		[]byte("MOFL\x02\x00\x00\x00\x00\x01\x00\x00"),
		[]byte("MOFL\x01\x00\x01\x00\x00\x01\x00\x00"),
		[]byte("MOFL\x01\x00\x00\x00\x00\x00\x00\x10"),
		[]byte("MOFL\x01\x00\x00\x00\x7f\x00\x00\x00"),
	} {
		if _, err := ParseHeader(h); err == nil {
			t.Errorf("header %q accepted", h)
		}
	}
}
