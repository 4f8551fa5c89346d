package bleve

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector target for a process serving Bleve
// search. A query allocates a lot (searchers, automata, postings
// iterators) against a small heap, since the index itself is memory-mapped:
// at Go's default of 100 the collector ran so often that it took about a
// third of query CPU on the 1M-track benchmark. At 400 CPU per query fell by
// 40–50 %; 800 gained nothing more (docs/benchmarks/search.md).
const GCPercent = 400

// TuneGC sets the process's GC target to GCPercent unless the GOGC
// environment variable chose one. Processes that serve Bleve search call it
// once at start; it is process-wide, so the library never does it itself.
func TuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(GCPercent)
	}
}
