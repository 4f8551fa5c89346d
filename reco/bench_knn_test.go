package reco

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkNearest answers RECO_KNN_QUERIES (default 1,000) top-10
// cosine queries over RECO_KNN_N (default 1 M) 64-dimensional item
// vectors by exact brute force (Vectors.Nearest, both cores), reporting
// per-query latency percentiles. Into $RECO_KNN_DIR it writes the
// vectors, the queries and our answers (little-endian float32 / int32)
// for reco/bench/knn_hnswlib.py to build hnswlib on the same vectors and
// compare recall@10 and latency.
func BenchmarkNearest(b *testing.B) {
	dir := os.Getenv("RECO_KNN_DIR")
	if dir == "" {
		b.Skip("set RECO_KNN_DIR")
	}
	n, nq := envInt("RECO_KNN_N", 1_000_000), envInt("RECO_KNN_QUERIES", 1000)
	const dim, clusters = 64, 1000
	mix := newMixture(rand.New(rand.NewPCG(21, 22)), dim, clusters)
	data := mix.draw(n)
	queries := mix.draw(nq)
	writeF32(b, filepath.Join(dir, "vectors.f32"), data)
	writeF32(b, filepath.Join(dir, "queries.f32"), queries)
	v := NewVectors(dim, data)
	for range b.N {
		lat := make([]float64, nq)
		ids := make([]int32, 0, nq*10)
		for q := range nq {
			t0 := time.Now()
			top := v.Nearest(queries[q*dim:(q+1)*dim], 10, nil)
			lat[q] = time.Since(t0).Seconds() * 1000
			for _, s := range top {
				ids = append(ids, int32(s.Item))
			}
		}
		slices.Sort(lat)
		f, _ := os.Create(filepath.Join(dir, "go_ids.i32"))
		binary.Write(f, binary.LittleEndian, ids)
		f.Close()
		result(b, map[string]any{"bench": "knn", "impl": "go brute force", "n": n, "queries": nq,
			"p50_ms": lat[nq/2], "p99_ms": lat[nq*99/100], "max_ms": lat[nq-1]})
		benchIVF(b, v, queries, ids, envInt("RECO_KNN_LISTS", 1000))
	}
}

// benchIVF builds the IVF index over v and reports, per probe count, the
// recall@10 against the exact answers and the per-query latency.
func benchIVF(b *testing.B, v *Vectors, queries []float32, exact []int32, lists int) {
	t0 := time.Now()
	x := BuildIVF(v, lists, 1, 8, 1)
	build := time.Since(t0).Seconds()
	// Collect the build's garbage before timing, as a serving process has
	// long done by its thousandth query; otherwise the first probe count's
	// slowest queries share the cores with that collection.
	runtime.GC()
	nq := len(queries) / v.Dim
	for _, probe := range []int{4, 8, 16, 32, 64} {
		x.Probe = probe
		lat := make([]float64, nq)
		found := 0
		for q := range nq {
			t0 := time.Now()
			top := x.Nearest(queries[q*v.Dim:(q+1)*v.Dim], 10, nil)
			lat[q] = time.Since(t0).Seconds() * 1000
			for _, s := range top {
				if slices.Contains(exact[q*10:(q+1)*10], int32(s.Item)) {
					found++
				}
			}
		}
		slices.Sort(lat)
		result(b, map[string]any{"bench": "knn", "impl": "go ivf", "n": v.N, "lists": lists, "probe": probe,
			"build_seconds": build, "recall_at_10": float64(found) / float64(nq*10),
			"p50_ms": lat[nq/2], "p99_ms": lat[nq*99/100], "max_ms": lat[nq-1]})
	}
}

func writeF32(b *testing.B, path string, x []float32) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := binary.Write(f, binary.LittleEndian, x); err != nil {
		b.Fatal(err)
	}
}
