package client

import (
	"bytes"
	"testing"
)

// FuzzOggPages feeds arbitrary bytes, as a hostile or broken server could
// send, to the page and header readers: they must return an error or a
// consistent answer, never panic or loop.
func FuzzOggPages(f *testing.F) {
	// A page with one 30-byte packet, and a Vorbis identification header.
	page := append([]byte("OggS\x00\x02"), make([]byte, 20)...)
	page = append(page, 1, 30)
	id := append([]byte("\x01vorbis\x00\x00\x00\x00\x02\x44\xac\x00\x00"), make([]byte, 15)...)
	f.Add(append(page, id[:30]...))
	f.Add([]byte("OggS"))
	f.Add(bytes.Repeat([]byte("OggS\x00"), 40))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		if p, err := readPage(r, 0, true); err == nil && (p.Len < oggHeaderLen || p.Len > len(b)) {
			t.Fatalf("page of %d bytes in %d bytes of input", p.Len, len(b))
		}
		if end, _, _, err := vorbisHeaders(r); err == nil && (end <= 0 || end > int64(len(b))) {
			t.Fatalf("headers end at %d in %d bytes of input", end, len(b))
		}
	})
}
