// Command recoworld gives a `musicctl up` data directory a synthetic
// catalogue of -tracks tracks, written through the catalog store's own
// PutRelease, and a recommendation model over them in the blob store
// where the Recommendations batch writes its own (reco/latest.json →
// model.gob), for benchmarking the seed-based recommendations route at
// scale (scripts/bench-reco-seed1m.sh). The model is built from the real
// types with synthetic clustered item vectors, not trained: see
// docs/benchmarks/reco.md. Rerunning it on the same directory writes
// nothing that is already there. It also writes -sample random track IDs
// to -seeds, one a line.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/sqlstore"
)

func main() {
	dataDir := flag.String("data-dir", "", "musicctl data directory (catalog.db and blobs/ inside)")
	seeds := flag.String("seeds", "", "file to write sampled track IDs to")
	sample := flag.Int("sample", 100_000, "track IDs to sample into -seeds")
	probe := flag.Int("probe", 0, "then load the model as serving does and time this many seed queries in-process, counting the candidate checks")
	w := World{}
	flag.IntVar(&w.Tracks, "tracks", 1_000_000, "tracks in the catalogue and the model")
	flag.IntVar(&w.PerRelease, "per-release", 100, "tracks per release")
	flag.IntVar(&w.Clusters, "clusters", 1000, "centres the item vectors are drawn around")
	flag.IntVar(&w.Dim, "dim", 64, "item vector dimensions (ALS factors)")
	flag.Uint64Var(&w.Seed, "seed", 1, "random seed")
	flag.Parse()
	if *dataDir == "" || w.Tracks < 1 || w.PerRelease < 1 || w.Clusters < 1 || w.Dim < 1 {
		log.Fatal("need -data-dir, and positive -tracks, -per-release, -clusters and -dim")
	}
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(*dataDir, "catalog.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer cat.Close()
	blobs, err := filestore.Open(ctx, filepath.Join(*dataDir, "blobs"))
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	wrote, err := LoadCatalog(ctx, cat, w, os.Stderr)
	if err != nil {
		log.Fatalf("catalog: %v", err)
	}
	fmt.Printf("catalog: %d releases written in %s (%d tracks in all)\n", wrote, time.Since(t0).Round(time.Millisecond), w.Tracks)
	t0 = time.Now()
	saved, err := SaveModel(ctx, blobs, w, func() *reco.Model { return w.Model(time.Now()) })
	if err != nil {
		log.Fatalf("model: %v", err)
	}
	fmt.Printf("model %s: written %v in %s\n", w.modelKey(), saved, time.Since(t0).Round(time.Millisecond))
	if *seeds != "" {
		if err := os.WriteFile(*seeds, []byte(strings.Join(w.Sample(*sample), "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if *probe > 0 {
		if err := probeModel(ctx, blobs, w.Sample(*probe)); err != nil {
			log.Fatal(err)
		}
	}
}

// probeModel loads the newest model through reco.Live, as a serving
// process does, and asks it for 30 tracks like each of seeds in turn with
// a skip that rejects nothing but counts its calls: the seed route calls
// the caller-visibility check once per such call.
func probeModel(ctx context.Context, blobs *filestore.Store, seeds []string) error {
	live := &reco.Live{OnLoad: func(l reco.Loaded) {
		fmt.Printf("probe: loaded %d items, %s search, in %s\n", l.Items, l.Search, l.Took.Round(time.Millisecond))
	}}
	if err := live.Refresh(ctx, blobs); err != nil {
		return err
	}
	o, checks, batches := live.Get(), 0, 0
	t0 := time.Now()
	for _, id := range seeds {
		i, ok := o.Track(id)
		if !ok {
			return fmt.Errorf("probe: the model does not know %s", id)
		}
		if _, err := o.Recommend([]int{i}, 30, func(int) bool { return false }, func(ids []int) ([]int, error) {
			checks, batches = checks+len(ids), batches+1
			return ids, nil
		}); err != nil {
			return err
		}
	}
	n := float64(len(seeds))
	fmt.Printf("probe: %d seed queries, %.2f ms each, %.0f candidates checked in %.1f batches each\n",
		len(seeds), time.Since(t0).Seconds()*1000/n, float64(checks)/n, float64(batches)/n)
	return nil
}
