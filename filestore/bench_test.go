package filestore

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmusic/music/internal/blobtest"
)

func BenchmarkStore(b *testing.B) {
	s, err := Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	blobtest.Bench(b, s)
}

// BenchmarkRawFile is the floor to compare with: the same bytes written
// to a plain file with one fsync, and read back, with no hashing.
func BenchmarkRawFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw")
	b.Run("Put", func(b *testing.B) {
		b.SetBytes(blobtest.BenchSize)
		for i := 0; b.Loop(); i++ {
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			src := io.LimitReader(rand.NewChaCha8([32]byte{byte(i)}), blobtest.BenchSize)
			if _, err := io.Copy(f, struct{ io.Reader }{src}); err != nil {
				b.Fatal(err)
			}
			if err := f.Sync(); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("Get", func(b *testing.B) {
		b.SetBytes(blobtest.BenchSize)
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, struct{ io.Reader }{f}); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
}
