package serving

import (
	"net/http/httptest"
	"testing"

	"github.com/openmusic/music/metrics"
)

// scrape reads the server's registry as name{labels} → value.
func scrape(t *testing.T, s *Server) map[string]float64 {
	t.Helper()
	got, err := metrics.Series(s.Registry())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAudioMetrics plays a stream from its start, seeks into it, and
// tries a forged URL: the first two are timed under their kinds, the
// refusal is not.
func TestAudioMetrics(t *testing.T) {
	fs := openFileStore(t)
	putAudio(t, fs, "trk-m", "160.ogg", 200_000)
	s := newAudioServer(t, fs, AudioOptions{})
	url := s.Signer.Sign("/audio/trk-m/160.ogg")
	get := func(target, rng string) int {
		req := httptest.NewRequest("GET", target, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if c := get(url, ""); c != 200 {
		t.Fatalf("whole file: %d", c)
	}
	if c := get(url, "bytes=0-65535"); c != 206 {
		t.Fatalf("first chunk: %d", c)
	}
	if c := get(url, "bytes=100000-165535"); c != 206 {
		t.Fatalf("seek: %d", c)
	}
	if c := get(url+"x", ""); c != 403 {
		t.Fatalf("forged signature: %d", c)
	}
	got := scrape(t, s)
	for k, want := range map[string]float64{
		`music_audio_first_byte_seconds_count{kind="start"}`: 2,
		`music_audio_first_byte_seconds_count{kind="range"}`: 1,
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
}

// TestCacheMetrics reads a track twice through the catalog API (a miss,
// then a hit) and asks for recommendations the cache does not hold.
func TestCacheMetrics(t *testing.T) {
	s, st, token := newCatalogServerStore(t)
	s.HandleRecommendations(Recommendations{Catalog: st, Licences: st, Users: st, Cache: st, Popular: st})
	get := func(path string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	check := func(want map[string]float64) {
		t.Helper()
		got := scrape(t, s)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v", k, got[k], v)
			}
		}
	}
	get("/api/v1/tracks/rel-1-d1t01")
	get("/api/v1/tracks/rel-1-d1t01")
	check(map[string]float64{
		`music_cache_requests_total{cache="tracks",result="miss"}`: 1,
		`music_cache_requests_total{cache="tracks",result="hit"}`:  1,
	})
	// No list in the cache: the popularity fallback answers.
	get("/api/v1/me/recommendations")
	check(map[string]float64{
		`music_cache_requests_total{cache="reco_lists",result="miss"}`: 1,
		`music_cache_requests_total{cache="popular",result="miss"}`:    1,
	})
}
