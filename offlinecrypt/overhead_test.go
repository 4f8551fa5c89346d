package offlinecrypt

import (
	"io"
	"os"
	"testing"

	"github.com/openmusic/music/internal/testmusic"
)

// BenchmarkStorageOverhead seals every real Vorbis file of the test music
// and reports the encrypted copies' size over the originals', in percent
// (a size, not a speed: one pass is enough).
func BenchmarkStorageOverhead(b *testing.B) {
	files := testmusic.Files(b, "ogg", "*.ogg")
	key := NewKey()
	var plain, sealed int64
	for b.Loop() {
		plain, sealed = 0, 0
		for _, path := range files {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			n, err := Encrypt(io.Discard, f, key, DefaultChunkSize)
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
			fi, _ := os.Stat(path)
			plain, sealed = plain+fi.Size(), sealed+n
		}
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(plain), "rendition-bytes")
	b.ReportMetric(100*float64(sealed-plain)/float64(plain), "overhead-%")
}
