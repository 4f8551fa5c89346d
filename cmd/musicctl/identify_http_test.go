package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// identified is the part of an identify answer the tests check.
type identified struct {
	TrackID       string  `json:"track_id"`
	OffsetSeconds float64 `json:"offset_seconds"`
}

// cutClip writes seconds of src from start on as a 16-bit WAV clip.
func cutClip(t *testing.T, src string, start, seconds float64) string {
	t.Helper()
	clip := filepath.Join(t.TempDir(), "clip.wav")
	if out, err := exec.Command("sox", src, clip, "trim", fmt.Sprint(start), fmt.Sprint(seconds)).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v: %s", err, out)
	}
	return clip
}

// postIdentify sends clip to POST /api/v1/identify at base and returns
// the status, the decoded answer and the raw body.
func postIdentify(t *testing.T, base, token, clip string) (int, identified, []byte) {
	t.Helper()
	body, err := os.Open(clip)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/identify", body)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var got identified
	json.Unmarshal(b, &got)
	return resp.StatusCode, got, b
}
