package serving

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkAudioChunk fetches 256 kB ranges of a 5 MB rendition from a
// file store over loopback HTTP (the sendfile path), in parallel; b.SetBytes
// makes `go test -bench` print MB/s.
func BenchmarkAudioChunk(b *testing.B) {
	fs := openFileStore(b)
	const size, chunk = 5 << 20, 256 << 10
	putAudio(b, fs, "bench", "320.ogg", size)
	s := newAudioServer(b, fs, AudioOptions{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	u := ts.URL + s.Signer.Sign("/audio/bench/320.ogg")
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: testHTTP.Timeout}
	b.SetBytes(chunk)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			off := (i * chunk) % (size - chunk)
			i++
			req, _ := http.NewRequest("GET", u, nil)
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+chunk-1))
			res, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 206 || n != chunk {
				b.Errorf("status %d, %d bytes", res.StatusCode, n)
				return
			}
		}
	})
}

// BenchmarkTrackMetadata is GET /api/v1/tracks/{id} through the whole
// handler chain (auth, rate limit, catalog, signing) on SQLite, without
// the network.
func BenchmarkTrackMetadata(b *testing.B) {
	s, token := newCatalogServer(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/api/v1/tracks/rel-1-d1t01", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
