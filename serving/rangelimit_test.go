package serving

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSecurityRangeFlood: a request with 1,000 ranges is refused with 416
// after at most one store read (the Stat that sizes the object), instead
// of a multipart answer that costs one ranged GET per range.
func TestSecurityRangeFlood(t *testing.T) {
	fs := openFileStore(t)
	putAudio(t, fs, "trk-1", "320.ogg", 1<<20)
	rc := &rangeCounter{BlobStore: fs}
	s := newAudioServer(t, rc, AudioOptions{})

	parts := make([]string, 1000)
	for i := range parts {
		parts[i] = fmt.Sprintf("%d-%d", i*1000, i*1000+10)
	}
	req := httptest.NewRequest("GET", s.Signer.Sign("/audio/trk-1/320.ogg"), nil)
	req.Header.Set("Range", "bytes="+strings.Join(parts, ","))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("1,000 ranges: status %d, want 416", rec.Code)
	}
	if len(rc.asked) != 0 {
		t.Errorf("1,000 ranges: the store was asked for %d ranged reads, want none", len(rc.asked))
	}
}

// TestSecurityRangesCoalesced: overlapping and adjacent ranges become one
// range and one ranged GET; eight distinct ranges are served with exactly
// eight GETs; a ninth distinct range is refused.
func TestSecurityRangesCoalesced(t *testing.T) {
	fs := openFileStore(t)
	obj := putAudio(t, fs, "trk-1", "320.ogg", 1<<20)
	rc := &rangeCounter{BlobStore: fs}
	s := newAudioServer(t, rc, AudioOptions{})
	get := func(rng string) *httptest.ResponseRecorder {
		rc.asked = nil
		req := httptest.NewRequest("GET", s.Signer.Sign("/audio/trk-1/320.ogg"), nil)
		req.Header.Set("Range", rng)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}

	rec := get("bytes=0-99,50-149,150-199,100-120")
	res := rec.Result()
	wantPart(0, 199, len(obj))(t, res, rec.Body.Bytes(), obj)
	if rec.Code != 206 || len(rc.asked) != 1 {
		t.Errorf("overlapping ranges: status %d, %d store reads %v, want 206 and one read", rec.Code, len(rc.asked), rc.asked)
	}

	var eight []string
	var want [][2]int
	for i := range 8 {
		eight = append(eight, fmt.Sprintf("%d-%d", i*10000, i*10000+99))
		want = append(want, [2]int{i * 10000, i*10000 + 99})
	}
	rec = get("bytes=" + strings.Join(eight, ","))
	wantMultipart(want)(t, rec.Result(), rec.Body.Bytes(), obj)
	if len(rc.asked) != 8 {
		t.Errorf("8 ranges: %d store reads, want 8", len(rc.asked))
	}

	rec = get("bytes=" + strings.Join(eight, ",") + ",900000-900009")
	if rec.Code != http.StatusRequestedRangeNotSatisfiable || len(rc.asked) != 0 {
		t.Errorf("9 ranges: status %d after %d store reads, want 416 after none", rec.Code, len(rc.asked))
	}
}
