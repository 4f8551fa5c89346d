package serving

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/internal/testmusic"
)

// TestIdentifyAPI indexes two real recordings under catalog track IDs, one
// visible to the caller and one whose deal has ended, and posts clips cut
// from them, from music that is not indexed, and bad bodies.
func TestIdentifyAPI(t *testing.T) {
	wavs := testmusic.Files(t, "wav", "*.wav")
	if len(wavs) < 3 {
		t.Skip("NOTICE: needs 3 test recordings; run `make fingerprint-music`")
	}
	ctx := context.Background()
	st := seedCatalog(t)
	_, token, err := st.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := fingerprint.OpenIndex(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for id, wav := range map[string]string{"rel-1-d1t02": wavs[0], "rel-3-d1t01": wavs[1]} {
		res, err := fingerprint.FromFile(ctx, wav, fingerprint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Add(ctx, id, fingerprint.Entry{Items: res.Items}); err != nil {
			t.Fatal(err)
		}
	}
	s := New()
	s.Now = func() time.Time { return catalogNow }
	s.Signer = testSigner(t, "")
	s.HandleIdentify(func(ctx context.Context, path string) (Identified, error) {
		id, err := ix.IdentifyFile(ctx, path)
		return Identified{TrackID: id.TrackID, OffsetSeconds: id.OffsetSeconds, BitErrorRate: id.BitErrorRate}, err
	}, st, st)

	dir := t.TempDir()
	cut := func(src string, start, seconds float64) []byte {
		out := filepath.Join(dir, "clip.wav")
		if b, err := exec.Command("sox", src, out, "trim", ftoa(start), ftoa(seconds)).CombinedOutput(); err != nil {
			t.Fatalf("sox: %v: %s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	post := func(body []byte) (int, map[string]any) {
		req := httptest.NewRequest("POST", "/api/v1/identify", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		var out map[string]any
		json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out
	}

	code, out := post(cut(wavs[0], 20, 12))
	if code != 200 || out["track_id"] != "rel-1-d1t02" {
		t.Fatalf("clip of the visible track: %d %v", code, out)
	}
	if off := out["offset_seconds"].(float64); off < 19 || off > 21 {
		t.Errorf("clip cut at 20 s identified at offset %.2f s", off)
	}
	if tr, _ := out["track"].(map[string]any); tr == nil || tr["track_id"] != "rel-1-d1t02" || tr["stream_urls"] == nil {
		t.Errorf("the answer should carry the visible track with its stream URLs: %v", out["track"])
	}

	code, out = post(cut(wavs[1], 5, 10))
	if code != 200 || out["track_id"] != "rel-3-d1t01" || out["track"] != nil {
		t.Errorf("clip of a track whose deal ended: want its ID and no track body, got %d %v", code, out)
	}

	if code, out = post(cut(wavs[2], 30, 10)); code != 404 {
		t.Errorf("clip of music that is not indexed: %d %v, want 404", code, out)
	}

	for _, bad := range []struct {
		name string
		body []byte
		want int
		says string
	}{
		{"empty", nil, 400, "empty"},
		{"not audio", []byte("hello, what song is this?"), 422, "unsupported format"},
		{"too short", cut(wavs[0], 20, 1.5), 400, ""},
		{"too large", bytes.Repeat([]byte{0}, MaxIdentifyBytes+1), 400, "over"},
	} {
		code, out := post(bad.body)
		e, _ := out["error"].(map[string]any)
		msg, _ := e["message"].(string)
		t.Logf("%s: %d %s", bad.name, code, msg)
		if code != bad.want || !strings.Contains(msg, bad.says) || strings.Contains(msg, os.TempDir()) {
			t.Errorf("%s: %d %q, want %d mentioning %q and no server path", bad.name, code, msg, bad.want, bad.says)
		}
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
