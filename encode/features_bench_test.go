package encode

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/openmusic/music/audiofeatures"
)

// BenchmarkFeaturesFiles measures the audio features of every file in
// $FEATURES_DIR (wav/flac/ogg) and prints one "RESULT {json}" line per
// file, for reco/bench/run.sh to compare with aubio and bpm-tools (tempo)
// and with the keys sox synthesised (key).
func BenchmarkFeaturesFiles(b *testing.B) {
	dir := os.Getenv("FEATURES_DIR")
	if dir == "" {
		b.Skip("set FEATURES_DIR")
	}
	var files []string
	for _, pat := range []string{"*.wav", "*.flac", "*.ogg"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	sort.Strings(files)
	for range b.N {
		for _, f := range files {
			t0 := time.Now()
			_, feat, err := AnalyzeFeatures(context.Background(), f)
			if err != nil {
				b.Fatalf("%s: %v", f, err)
			}
			out, _ := json.Marshal(map[string]any{"file": filepath.Base(f), "features": feat, "key_name": audiofeatures.KeyName(feat), "seconds": time.Since(t0).Seconds()})
			fmt.Printf("RESULT %s\n", out)
		}
	}
}
