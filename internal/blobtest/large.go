package blobtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/openmusic/music"
)

// largeSize is streamed through Put and Get; the store must not hold it
// all in memory at once.
const largeSize = 20 << 20

// opaque hides every method but Read, so a store cannot learn the size
// or seek the stream.
type opaque struct{ r io.Reader }

func (o opaque) Read(p []byte) (int, error) { return o.r.Read(p) }

func largeStream() io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{20}), largeSize)
}

func testLarge(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	h := sha256.New()
	if _, err := io.Copy(h, largeStream()); err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))

	alloc := allocated()
	info, err := s.Put(ctx, "big/object", opaque{largeStream()}, music.PutOptions{ContentType: "audio/wav"})
	putAlloc := allocated() - alloc
	if err != nil {
		t.Fatalf("Put 20 MB: %v", err)
	}
	if info.Size != largeSize || info.SHA256 != want {
		t.Fatalf("Put info = %+v, want size %d sha %s", info, largeSize, want)
	}

	alloc = allocated()
	rc, _, err := s.Get(ctx, "big/object")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	h.Reset()
	n, err := io.Copy(h, rc)
	rc.Close()
	getAlloc := allocated() - alloc
	if err != nil || n != largeSize || hex.EncodeToString(h.Sum(nil)) != want {
		t.Fatalf("Get read %d bytes, err %v, digest match %v", n, err, hex.EncodeToString(h.Sum(nil)) == want)
	}
	t.Logf("allocated while streaming 20 MB: Put %d KiB, Get %d KiB", putAlloc>>10, getAlloc>>10)
	// A store that buffers the whole object allocates at least its size;
	// part buffers and I/O buffers stay well below it.
	const limit = largeSize * 3 / 4
	if putAlloc > limit || getAlloc > limit {
		t.Fatalf("streaming 20 MB allocated Put %d / Get %d bytes, limit %d: memory is not bounded", putAlloc, getAlloc, limit)
	}
}

// allocated is the process's cumulative heap allocation in bytes.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}
