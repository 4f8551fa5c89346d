package serving

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestShedderLimitFollowsLatency(t *testing.T) {
	l := &Shedder{MinLimit: 2, MaxLimit: 100, Tolerance: 2}
	for range 500 { // a steady 5 ms: the limit stays at the top
		l.acquire()
		l.release(5 * time.Millisecond)
	}
	if got := l.Limit(); got != 100 {
		t.Fatalf("limit at normal latency: %d, want 100", got)
	}
	for range 100 { // saturated: 10x slower
		l.acquire()
		l.release(50 * time.Millisecond)
	}
	low := l.Limit()
	if low > 20 {
		t.Fatalf("limit after 100 requests at 10x the normal latency: %d, want it to have fallen to 20 or less", low)
	}
	for range 2000 { // recovered
		l.acquire()
		l.release(5 * time.Millisecond)
	}
	if got := l.Limit(); got < 90 {
		t.Fatalf("limit after recovery: %d, want back near 100 (was %d)", got, low)
	}
}

// slowIndex is a search engine whose latency grows with the searches
// running at once, as a saturated CPU's does.
type slowIndex struct {
	stubIndex
	running atomic.Int64
}

func (s *slowIndex) Search(ctx context.Context, q music.SearchQuery) (*music.SearchResults, error) {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	time.Sleep(time.Duration(n) * 2 * time.Millisecond)
	return &music.SearchResults{}, nil
}

// TestSecurityShedsSearchNotAudio: a burst of searches that slows the
// engine down is partly refused with 503 and Retry-After, while audio
// requests in the same burst are all served; at a calm rate nothing is
// shed.
func TestSecurityShedsSearchNotAudio(t *testing.T) {
	fs := openFileStore(t)
	putAudio(t, fs, "trk-1", "320.ogg", 4096)
	s := newAudioServer(t, fs, AudioOptions{})
	s.SetShedder(&Shedder{MinLimit: 2, MaxLimit: 64, Tolerance: 2})
	idx := &slowIndex{}
	s.HandleSearch(idx)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	for i := range 50 { // calm: one at a time
		if rec := get("/api/v1/search?q=a"); rec.Code != 200 {
			t.Fatalf("calm search %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	audioURL := s.Signer.Sign("/audio/trk-1/320.ogg")
	var searchCodes, audioCodes sync.Map
	count := func(m *sync.Map, code int) {
		v, _ := m.LoadOrStore(code, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	var wg sync.WaitGroup
	for g := range 40 { // the spike: 40 clients searching flat out, 4 playing
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 15 {
				if g%10 == 0 {
					rec := get(audioURL)
					count(&audioCodes, rec.Code)
					continue
				}
				rec := get("/api/v1/search?q=a")
				count(&searchCodes, rec.Code)
				if rec.Code == 503 && rec.Header().Get("Retry-After") == "" {
					t.Error("shed search without Retry-After")
				}
			}
		}()
	}
	wg.Wait()
	n := func(m *sync.Map, code int) int64 {
		if v, ok := m.Load(code); ok {
			return v.(*atomic.Int64).Load()
		}
		return 0
	}
	if n(&searchCodes, 503) == 0 || n(&searchCodes, 200) == 0 {
		t.Errorf("spike: %d searches served, %d shed; want some of each", n(&searchCodes, 200), n(&searchCodes, 503))
	}
	if n(&audioCodes, 200) != 60 {
		t.Errorf("spike: %d of 60 audio requests served, want all", n(&audioCodes, 200))
	}
	if idx.running.Load() != 0 {
		t.Fatal("searches still running")
	}
}
