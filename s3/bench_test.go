package s3

import (
	"testing"

	"github.com/openmusic/music/internal/blobtest"
	"github.com/openmusic/music/internal/miniotest"
)

// BenchmarkStore runs against a local MinIO, so it measures the client
// and MinIO together on one machine, not a network.
func BenchmarkStore(b *testing.B) {
	srv := miniotest.Start(b)
	s := openTest(b, srv, "bench/")
	blobtest.Bench(b, s)
}
