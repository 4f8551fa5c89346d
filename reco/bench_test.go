package reco

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake/synth"
)

// The benchmarks here are driven by reco/bench/run.sh (make bench-reco),
// which sets sizes through the environment and runs the reference tools
// beside them. Each prints one JSON line prefixed "RESULT ".

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func result(b *testing.B, v any) {
	out, _ := json.Marshal(v)
	fmt.Printf("RESULT %s\n", out)
}

// BenchmarkQuality evaluates every model on a planted-taste world of
// RECO_USERS × RECO_TRACKS (default 100k × 50k).
func BenchmarkQuality(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := filestore.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := synth.TasteConfig{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		Users: envInt("RECO_USERS", 100_000), Tracks: envInt("RECO_TRACKS", 50_000), Genres: envInt("RECO_GENRES", 50),
		PlaysPerUser: envInt("RECO_PLAYS", 60), Seed: 1}
	t0 := time.Now()
	w, err := synth.GenerateTastes(ctx, store, cfg)
	if err != nil {
		b.Fatal(err)
	}
	gen := time.Since(t0).Seconds()
	for range b.N {
		rep, err := EvaluateWorld(ctx, store, w, TrainOptions{
			ALS: ALSOptions{Seed: 1}, W2V: W2VOptions{Seed: 1},
			Progress: func(s string) { fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05"), s) },
		}, envInt("RECO_TEST_USERS", 10_000))
		if err != nil {
			b.Fatal(err)
		}
		result(b, map[string]any{"bench": "quality", "generate_seconds": gen, "report": rep})
	}
}
