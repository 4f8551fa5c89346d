package royalty

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// CountOptions tunes CountMonth.
type CountOptions struct {
	Rules Rules
	// Buckets is how many user-hash buckets the month is split into
	// (default 256). Every rule is per user, so buckets are independent.
	Buckets int
	// Part restricts this call to users whose bucket b has
	// Lo <= b < Hi (default: all buckets). Separate calls over disjoint ranges covering [0, Buckets) give Partials that
	// Merge into exactly the whole month's: that is the unit of fan-out
	// into Temporal activities.
	Part BucketRange
	// Workers is the parallelism inside this call (default GOMAXPROCS).
	Workers int
	// MemoryBudget bounds the bytes of routed reports held in memory
	// before spilling to TempDir (default 1 GiB).
	MemoryBudget int
	TempDir      string
	// Unpaid holds the user IDs whose plays are recorded but never paid:
	// label and ops accounts. Their rows count in Stats.Unpaid only.
	Unpaid map[string]bool
}

// BucketRange is a half-open range of user-hash buckets.
type BucketRange struct{ Lo, Hi int }

func (o *CountOptions) defaults() error {
	if o.Rules == (Rules{}) {
		o.Rules = DefaultRules
	}
	if o.Buckets <= 0 {
		o.Buckets = 256
	}
	if o.Part == (BucketRange{}) {
		o.Part = BucketRange{0, o.Buckets}
	}
	if o.Part.Lo < 0 || o.Part.Hi > o.Buckets || o.Part.Lo >= o.Part.Hi {
		return music.Errorf(music.EINVALID, "royalty: bucket range [%d,%d) not within [0,%d)", o.Part.Lo, o.Part.Hi, o.Buckets)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MemoryBudget <= 0 {
		o.MemoryBudget = 1 << 30
	}
	return nil
}

// CountMonth reads the lake's files for month (the month of the given
// time, UTC, plus the dedup window before it) and applies dedup, the
// 30-second rule and the fraud rules for the users in opts.Part. It reads
// only the projected columns, streams row groups, and holds at most
// MemoryBudget bytes of routed reports. A file that cannot be decoded fails
// the whole call with an error naming it.
func CountMonth(ctx context.Context, store music.BlobStore, month time.Time, opts CountOptions) (Partial, error) {
	if err := opts.defaults(); err != nil {
		return Partial{}, err
	}
	return countWindow(ctx, store, monthWindow(month, opts.Rules), opts)
}

// CountDay is CountMonth for one UTC day (the day of the given time): the
// daily charts' counts. The hourly and daily fraud rules work on UTC hours
// and days, so they agree with the month's run; the fresh-account rule
// sees only this day's plays, so a bot whose first 24 hours straddle
// midnight can slip into a chart that the month's run then corrects.
func CountDay(ctx context.Context, store music.BlobStore, day time.Time, opts CountOptions) (Partial, error) {
	if err := opts.defaults(); err != nil {
		return Partial{}, err
	}
	start := day.UTC().Truncate(24 * time.Hour)
	return countWindow(ctx, store, rangeWindow(start, start.AddDate(0, 0, 1), opts.Rules), opts)
}

// CountRange is CountDay over the UTC days [from, to) (both truncated to
// their day): trailing windows such as popularity's.
func CountRange(ctx context.Context, store music.BlobStore, from, to time.Time, opts CountOptions) (Partial, error) {
	if err := opts.defaults(); err != nil {
		return Partial{}, err
	}
	start, end := from.UTC().Truncate(24*time.Hour), to.UTC().Truncate(24*time.Hour)
	if !start.Before(end) {
		return Partial{}, music.Errorf(music.EINVALID, "royalty: empty day range %s..%s", start.Format(time.DateOnly), end.Format(time.DateOnly))
	}
	return countWindow(ctx, store, rangeWindow(start, end, opts.Rules), opts)
}

func countWindow(ctx context.Context, store music.BlobStore, win window, opts CountOptions) (Partial, error) {
	files, err := lake.FilesBetween(ctx, store, time.UnixMilli(win.base), time.UnixMilli(win.end))
	if err != nil {
		return Partial{}, err
	}
	return countFiles(ctx, store, files, win, opts)
}

func countFiles(ctx context.Context, store music.BlobStore, files []lake.FileInfo, win window, opts CountOptions) (Partial, error) {
	dir, err := os.MkdirTemp(opts.TempDir, "royalty-shuffle-")
	if err != nil {
		return Partial{}, fmt.Errorf("royalty: %w", err)
	}
	defer os.RemoveAll(dir)
	st := &scanState{win: win, buckets: opts.Buckets, part: opts.Part, users: newInterner(), tracks: newInterner(), terrs: newInterner(), unpaid: opts.Unpaid}
	workers := make([]*scanWorker, opts.Workers)
	for i := range workers {
		workers[i] = &scanWorker{st: st, sh: newShuffle(dir, i, opts.Buckets, opts.MemoryBudget/opts.Workers)}
		defer workers[i].sh.close()
	}
	// Scan: files are handed out in order; each worker routes into its own
	// shuffle, so the only shared state is the interners.
	var next atomic.Int64
	err = parallel(ctx, opts.Workers, func(ctx context.Context, wi int) error {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(files) {
				return nil
			}
			f, err := lake.OpenFile(ctx, store, files[i].Key)
			if err != nil {
				return err
			}
			err = workers[wi].scanFile(ctx, f)
			f.Close()
			if err != nil {
				return err
			}
		}
	})
	if err != nil {
		return Partial{}, err
	}
	if err := st.checkTerritories(); err != nil {
		return Partial{}, err
	}
	st.trackRank, st.terrRank = ranks(st.tracks), ranks(st.terrs)
	var scanStats Stats
	for _, w := range workers {
		scanStats.add(w.stats)
	}
	// Process: buckets are handed out; each worker aggregates on its own.
	bws := make([]*bucketWorker, opts.Workers)
	var nextB atomic.Int64
	nextB.Store(int64(opts.Part.Lo))
	err = parallel(ctx, opts.Workers, func(ctx context.Context, wi int) error {
		bw := newBucketWorker(opts.Rules, st)
		bws[wi] = bw
		var rs []rec
		for {
			b := int(nextB.Add(1) - 1)
			if b >= opts.Part.Hi {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rs = rs[:0]
			for _, w := range workers {
				var err error
				if rs, err = w.sh.appendBucket(rs, b); err != nil {
					return err
				}
				w.sh.release(b)
			}
			bw.process(rs)
		}
	})
	if err != nil {
		return Partial{}, err
	}
	// Fold the workers' aggregates (integer keys) into one, then convert
	// to string keys once.
	agg := bws[0].agg
	for _, bw := range bws[1:] {
		for k, n := range bw.agg.daily {
			agg.daily[k] += n
		}
		for k, n := range bw.agg.votes {
			agg.votes[k] += n
		}
		agg.stats.add(bw.agg.stats)
	}
	agg.stats.add(scanStats)
	return export(agg, st), nil
}

// export converts an aggregate to a Partial, sorted as Merge sorts: by
// ranks of the interned strings, so the sort compares integers.
func export(agg *aggregate, st *scanState) Partial {
	trackRank, terrRank := st.trackRank, st.terrRank
	type kv struct{ key, n uint64 }
	sortKV := func(m map[uint64]int64, key func(uint64) uint64) []kv {
		out := make([]kv, 0, len(m))
		for k, n := range m {
			out = append(out, kv{k, uint64(n)})
		}
		slices.SortFunc(out, func(a, b kv) int { return cmp.Compare(key(a.key), key(b.key)) })
		return out
	}
	p := Partial{Stats: agg.stats}
	baseDay := time.UnixMilli(st.win.base).UTC().Truncate(24 * time.Hour)
	var dates [256]string
	for d := range dates {
		dates[d] = baseDay.AddDate(0, 0, d).Format(time.DateOnly)
	}
	daily := sortKV(agg.daily, func(k uint64) uint64 {
		return uint64(trackRank[k>>24])<<24 | k&0xff0000 | uint64(terrRank[k&0xffff])
	})
	p.Daily = make([]plays.DailyCount, len(daily))
	for i, e := range daily {
		p.Daily[i] = plays.DailyCount{TrackID: st.tracks.str(uint32(e.key >> 24)), Date: dates[e.key>>16&0xff], Territory: st.terrs.str(uint32(e.key & 0xffff)), Streams: int64(e.n)}
	}
	votes := sortKV(agg.votes, func(k uint64) uint64 { return uint64(trackRank[k>>16])<<16 | uint64(terrRank[k&0xffff]) })
	p.Votes = make([]Votes, len(votes))
	for i, e := range votes {
		p.Votes[i] = Votes{TrackID: st.tracks.str(uint32(e.key >> 16)), Territory: st.terrs.str(uint32(e.key & 0xffff)), Votes: int64(e.n)}
	}
	return p
}

// ranks returns each interned id's position in string order.
func ranks(in *interner) []uint32 {
	ids := make([]uint32, in.len())
	for i := range ids {
		ids[i] = uint32(i)
	}
	slices.SortFunc(ids, func(a, b uint32) int { return cmp.Compare(in.str(a), in.str(b)) })
	r := make([]uint32, len(ids))
	for pos, id := range ids {
		r[id] = uint32(pos)
	}
	return r
}

// parallel runs fn on n goroutines and returns the first error; the
// others see a cancelled ctx.
func parallel(ctx context.Context, n int, fn func(ctx context.Context, worker int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx, i); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}()
	}
	wg.Wait()
	return first
}
