// Command scalebench builds a Bleve search index over a synthetic catalog
// (1,000,000 tracks by default) and measures build rate, size on disk and
// query latency. It is run by hand, never by make test:
//
//	go run ./internal/searchtest/scalebench -tracks 1000000 -dir /tmp/searchbench
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/search"
)

func main() {
	tracks := flag.Int("tracks", 1_000_000, "synthetic tracks to index")
	dir := flag.String("dir", "", "index directory (default: a temporary one, removed after)")
	queries := flag.Int("queries", 500, "queries of each kind")
	reuse := flag.Bool("reuse", false, "search an index already built in -dir instead of building")
	compact := flag.Bool("compact", false, "with -reuse: merge the index into one segment per kind first (Reindex does this itself)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the build and queries here")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "searchbench")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	bleve.TuneGC() // as musicctl up and serve do
	ctx := context.Background()
	synth := searchtest.NewSynth(*tracks, 42)
	idx, err := bleve.Open(*dir, bleve.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	gc := debug.SetGCPercent(-1) // the only way to read it; put back at once
	debug.SetGCPercent(gc)
	fmt.Printf("machine: %d CPUs, %s; tracks %d; GC percent %d\n", runtime.NumCPU(), runtime.Version(), *tracks, gc)

	if !*reuse {
		start := time.Now()
		st, err := idx.Reindex(ctx, synth.Source())
		if err != nil {
			log.Fatal(err)
		}
		el := time.Since(start)
		fmt.Printf("build: %d docs in %s = %.0f docs/s\n", st.Docs, el.Round(time.Second), float64(st.Docs)/el.Seconds())
	}
	if *reuse && *compact {
		start := time.Now()
		if err := idx.Compact(ctx); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("compact: %s\n", time.Since(start).Round(time.Second))
	}
	n, _ := idx.DocCount()
	fmt.Printf("index: %d docs, %.1f MiB on disk\n", n, float64(dirSize(*dir))/(1<<20))

	plain, fuzzy, prefix := synth.Queries(*queries, 7)
	for _, k := range []struct {
		name string
		qs   []string
		fn   func(context.Context, music.SearchQuery) error
	}{
		{"plain", plain, searcher(idx)},
		{"fuzzy", fuzzy, searcher(idx)},
		{"prefix", prefix, searcher(idx)},
		{"suggest", prefix, suggest(idx)},
	} {
		lat := make([]time.Duration, 0, len(k.qs))
		cpu := make([]time.Duration, 0, len(k.qs))
		for i, s := range k.qs {
			q, err := search.ParseParams(url.Values{"q": {s}})
			if err != nil {
				log.Fatal(err)
			}
			c, t := cpuTime(), time.Now()
			if err := k.fn(ctx, q); err != nil {
				log.Fatal(err)
			}
			if i >= 20 { // the first queries warm the caches
				lat = append(lat, time.Since(t))
				cpu = append(cpu, cpuTime()-c)
			}
		}
		slices.Sort(lat)
		slices.Sort(cpu)
		fmt.Printf("%-8s n=%d wall p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms | cpu p50 %6.2f ms  p99 %6.2f ms\n", k.name, len(lat),
			ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]), ms(lat[len(lat)-1]), ms(cpu[len(cpu)/2]), ms(cpu[len(cpu)*99/100]))
	}
}

func searcher(idx *bleve.Index) func(context.Context, music.SearchQuery) error {
	return func(ctx context.Context, q music.SearchQuery) error {
		_, err := idx.Search(ctx, q)
		return err
	}
}

func suggest(idx *bleve.Index) func(context.Context, music.SearchQuery) error {
	return func(ctx context.Context, q music.SearchQuery) error {
		q.Limit = search.DefaultSuggests
		_, err := idx.Suggest(ctx, q)
		return err
	}
}

// cpuTime is the CPU time (user + system, all threads) the process has
// used. Per query it is what the query cost on a machine with no other
// load, since the machine these figures come from is shared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
