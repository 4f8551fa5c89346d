package reco

import (
	"context"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake/synth"
)

// On a small planted-taste world every model beats chance and the blend
// beats popularity by a wide margin (the benchmark checks ≥ 3× at
// 100k users; see docs/benchmarks/reco.md).
func TestEvaluatePlantedTastes(t *testing.T) {
	ctx := context.Background()
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := synth.TasteConfig{Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Users: 600, Tracks: 600, Genres: 12, PlaysPerUser: 50, Seed: 3}
	w, err := synth.GenerateTastes(ctx, store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := EvaluateWorld(ctx, store, w, TrainOptions{ALS: ALSOptions{Factors: 16, Iterations: 8, Seed: 1}, W2V: W2VOptions{Dim: 32, Seed: 1}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.TestUsers < 300 {
		t.Fatalf("only %d users with held-out plays", rep.TestUsers)
	}
	by := map[string]EvalResult{}
	for _, r := range rep.Results {
		by[r.Model] = r
		t.Logf("%-13s recall@10 %.3f  ndcg@10 %.3f  coverage %.3f  novelty %.2f", r.Model, r.Recall, r.NDCG, r.Coverage, r.Novelty)
	}
	pop, blend := by["popularity"], by["blend"]
	if blend.Recall < 2*pop.Recall || blend.NDCG <= pop.NDCG {
		t.Errorf("blend recall %.3f ndcg %.3f vs popularity %.3f %.3f: the planted tastes should be found", blend.Recall, blend.NDCG, pop.Recall, pop.NDCG)
	}
	for _, name := range []string{"als", "cooccurrence", "playlist2vec", "content"} {
		if by[name].Recall <= pop.Recall/2 || by[name].Coverage <= pop.Coverage {
			t.Errorf("%s: recall %.3f coverage %.3f (popularity %.3f, %.3f)", name, by[name].Recall, by[name].Coverage, pop.Recall, pop.Coverage)
		}
	}
}
