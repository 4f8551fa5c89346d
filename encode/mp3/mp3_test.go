package mp3

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEncodeDecodesWithFFprobe(t *testing.T) {
	var buf bytes.Buffer
	e, err := New(&buf, 44100, 2, 128)
	if err != nil {
		t.Fatal(err)
	}
	pcm := make([]float32, 2*44100*3)
	for i := range pcm {
		pcm[i] = float32(0.3 * math.Sin(float64(i/2)*2*math.Pi*440/44100))
	}
	if err := e.Write(pcm); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// 3 s at 128 kbps ≈ 48 kB.
	if n := buf.Len(); n < 40000 || n > 56000 {
		t.Fatalf("%d bytes for 3 s at 128 kbps", n)
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	p := filepath.Join(t.TempDir(), "x.mp3")
	os.WriteFile(p, buf.Bytes(), 0o644)
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "mp3,44100,2" {
		t.Fatalf("ffprobe: %q", got)
	}
}
