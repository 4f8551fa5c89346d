package blobtest

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/openmusic/music"
)

// BenchSize is the object size the benchmarks stream: a typical encoded
// track.
const BenchSize = 8 << 20

// Bench measures Put and Get of BenchSize objects (b.SetBytes makes the
// output MB/s). Put streams an opaque reader, so stores cannot take
// shortcuts from knowing the size.
func Bench(b *testing.B, s music.BlobStore) {
	ctx := context.Background()
	b.Run("Put", func(b *testing.B) {
		b.SetBytes(BenchSize)
		for i := 0; b.Loop(); i++ {
			src := io.LimitReader(rand.NewChaCha8([32]byte{byte(i)}), BenchSize)
			if _, err := s.Put(ctx, "bench/put", opaque{src}, music.PutOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get", func(b *testing.B) {
		src := io.LimitReader(rand.NewChaCha8([32]byte{}), BenchSize)
		if _, err := s.Put(ctx, "bench/get", opaque{src}, music.PutOptions{}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(BenchSize)
		for b.Loop() {
			rc, _, err := s.Get(ctx, "bench/get")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
	})
}
