package filestore

import (
	"context"
	"os"
	"testing"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobtest"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) music.BlobStore {
		s, err := Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}, corrupt)
}

// corrupt flips one byte of the object's file in place, leaving its size
// and recorded digest alone, as a failing disk would.
func corrupt(t *testing.T, bs music.BlobStore, key string) {
	t.Helper()
	f, err := os.OpenFile(bs.(*Store).path(key), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, 10); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, 10); err != nil {
		t.Fatal(err)
	}
}
