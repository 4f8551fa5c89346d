package royalty

import (
	"cmp"
	"slices"
	"time"
)

// chain is one play: the reports of a (user, track, session) whose gaps
// are all under the dedup window.
type chain struct {
	track uint32
	t     uint32 // first report, ms since window base
	dur   uint32 // longest reported duration
	terr  uint16
	flags uint16
}

const flagStream = 1 << 8 // chain reached Rules.MinPlay

// group is one listener's counted streams of a track in a territory.
type group struct {
	track uint32
	terr  uint16
	n     int64
	votes int64
	rem   uint64
}

// aggregate is a bucket worker's running result, keyed by interned ids.
type aggregate struct {
	daily map[uint64]int64 // track<<24 | day<<16 | territory
	votes map[uint64]int64 // track<<16 | territory
	stats Stats
}

func newAggregate(tracks int) *aggregate {
	// Pre-size for the catalog seen, sparing most rehashing.
	return &aggregate{daily: make(map[uint64]int64, tracks), votes: make(map[uint64]int64, tracks)}
}

// bucketWorker applies the rules to whole buckets; it owns its scratch.
type bucketWorker struct {
	rules  Rules
	win    window
	st     *scanState
	agg    *aggregate
	cnt    []int32
	seen   []uint32
	sorted []rec
	chains []chain
	groups []group
	hours  map[uint32]int32
	days   map[uint32]int32

	winMs, minPlay      uint32
	hourOff, dayOff     uint32 // window base's offset into its hour / day
	hourLimit, dayLimit int32
	freshMin, freshDist int
}

func newBucketWorker(r Rules, st *scanState) *bucketWorker {
	w := &bucketWorker{
		rules: r, win: st.win, st: st, agg: newAggregate(st.tracks.len()),
		cnt:   make([]int32, st.users.len()),
		hours: map[uint32]int32{}, days: map[uint32]int32{},
		winMs: uint32(r.DedupWindow.Milliseconds()), minPlay: uint32(r.MinPlay.Milliseconds()),
		hourLimit: int32(r.HourlyLimit), dayLimit: int32(r.DailyTrackLimit),
		freshMin: r.FreshMinPlays, freshDist: r.FreshMaxDistinct,
	}
	w.hourOff = uint32(w.win.base % time.Hour.Milliseconds())
	w.dayOff = uint32(w.win.base % (24 * time.Hour).Milliseconds())
	return w
}

func (w *bucketWorker) hour(t uint32) uint32 {
	return uint32((uint64(t) + uint64(w.hourOff)) / 3_600_000)
}

// day is the day index since the window base's day: 1 is the month's first.
func (w *bucketWorker) day(t uint32) uint32 {
	return uint32((uint64(t) + uint64(w.dayOff)) / 86_400_000)
}

// process runs the rules over one bucket's records.
func (w *bucketWorker) process(rs []rec) {
	w.agg.stats.Reports += int64(len(rs))
	// Counting sort by user: every user's reports become contiguous.
	w.seen = w.seen[:0]
	for i := range rs {
		u := rs[i].user
		if w.cnt[u] == 0 {
			w.seen = append(w.seen, u)
		}
		w.cnt[u]++
	}
	off := int32(0)
	for _, u := range w.seen {
		n := w.cnt[u]
		w.cnt[u] = off
		off += n
	}
	if cap(w.sorted) < len(rs) {
		w.sorted = make([]rec, len(rs))
	}
	sorted := w.sorted[:len(rs)]
	for i := range rs {
		u := rs[i].user
		sorted[w.cnt[u]] = rs[i]
		w.cnt[u]++
	}
	start := int32(0)
	for _, u := range w.seen {
		end := w.cnt[u]
		w.cnt[u] = 0
		seg := sorted[start:end]
		slices.SortFunc(seg, func(a, b rec) int {
			return cmp.Or(cmp.Compare(a.track, b.track), cmp.Compare(a.sess, b.sess), cmp.Compare(a.t, b.t))
		})
		w.user(seg)
		start = end
	}
}

// user applies dedup, the 30 s rule and the fraud rules to one listener's
// reports, sorted by (track, session, time), and aggregates what counts.
func (w *bucketWorker) user(rs []rec) {
	s := &w.agg.stats
	ch := w.chains[:0]
	for i := range rs {
		r := &rs[i]
		if i > 0 {
			p := &rs[i-1]
			if p.track == r.track && p.sess == r.sess && r.t-p.t < w.winMs {
				c := &ch[len(ch)-1]
				c.dur = max(c.dur, r.dur)
				c.flags |= r.flags & flagCompleted
				continue
			}
		}
		ch = append(ch, chain{track: r.track, t: r.t, dur: r.dur, terr: r.terr, flags: r.flags})
	}
	w.chains = ch
	s.Duplicates += int64(len(rs) - len(ch))
	// Plays begun in the lookback were counted last month: drop them.
	var streams, freshN, freshSkips, freshDistinct int
	lastFresh := ^uint32(0)
	kept := ch[:0]
	for _, c := range ch {
		if c.t < w.winMs {
			s.LookbackPlays++
			continue
		}
		if c.flags&flagFresh != 0 {
			freshN++
			if c.flags&flagCompleted == 0 {
				freshSkips++
			}
			if c.track != lastFresh {
				freshDistinct++
				lastFresh = c.track
			}
		}
		if c.dur >= w.minPlay {
			c.flags |= flagStream
			streams++
		}
		kept = append(kept, c)
	}
	ch = kept
	s.Plays += int64(len(ch))
	s.Short += int64(len(ch) - streams)
	s.Streams += int64(streams)
	if streams == 0 {
		return
	}
	inhuman := freshN >= w.freshMin && (freshSkips == 0 || freshDistinct <= w.freshDist)
	hourly := streams > int(w.hourLimit)
	if hourly {
		clear(w.hours)
		for _, c := range ch {
			if c.flags&flagStream != 0 {
				w.hours[w.hour(c.t)]++
			}
		}
	}
	groups := w.groups[:0]
	removed := false
	// Chains are grouped by track: handle one track's run at a time.
	for i := 0; i < len(ch); {
		j, run := i, int32(0)
		for j < len(ch) && ch[j].track == ch[i].track {
			if ch[j].flags&flagStream != 0 {
				run++
			}
			j++
		}
		looping := run > w.dayLimit
		if looping {
			clear(w.days)
			for _, c := range ch[i:j] {
				if c.flags&flagStream != 0 {
					w.days[w.day(c.t)]++
				}
			}
		}
		for _, c := range ch[i:j] {
			if c.flags&flagStream == 0 {
				continue
			}
			switch {
			case hourly && w.hours[w.hour(c.t)] > w.hourLimit:
				s.HourlyVolume++
				removed = true
			case looping && w.days[w.day(c.t)] > w.dayLimit:
				s.TrackLoop++
				removed = true
			case inhuman && c.flags&flagFresh != 0:
				s.FreshAccount++
				removed = true
			default:
				s.Counted++
				w.agg.daily[uint64(c.track)<<24|uint64(w.day(c.t))<<16|uint64(c.terr)]++
				if n := len(groups); n > 0 && groups[n-1].track == c.track && groups[n-1].terr == c.terr {
					groups[n-1].n++
				} else {
					groups = append(groups, group{track: c.track, terr: c.terr, n: 1})
				}
			}
		}
		i = j
	}
	if removed {
		s.FlaggedUsers++
	}
	if len(groups) > 0 {
		s.Listeners++
		w.vote(groups)
	}
	w.groups = groups
}

// vote splits one listener's VoteUnit over their (track, territory) groups
// in proportion to streams, by largest remainder with ties broken by track
// and territory name, so the result does not depend on interning order.
func (w *bucketWorker) vote(gs []group) {
	// Groups arrive ordered by track; only a listener who changed
	// territory within one track's plays needs the sort.
	if !slices.IsSortedFunc(gs, cmpGroup) || hasDup(gs) {
		slices.SortFunc(gs, cmpGroup)
		gs = compact(gs, func(a, b group) bool { return a.track == b.track && a.terr == b.terr }, func(a *group, b group) { a.n += b.n })
	}
	var total int64
	for _, g := range gs {
		total += g.n
	}
	left := int64(VoteUnit)
	for i := range gs {
		gs[i].votes = VoteUnit * gs[i].n / total
		gs[i].rem = uint64(VoteUnit * gs[i].n % total)
		left -= gs[i].votes
	}
	if left > 0 {
		// Ties go by the tracks' and territories' string order (ranks),
		// never by interning order, which depends on scan scheduling.
		tr, rr := w.st.trackRank, w.st.terrRank
		slices.SortFunc(gs, func(a, b group) int {
			if a.rem != b.rem {
				return cmp.Compare(b.rem, a.rem)
			}
			return cmp.Or(cmp.Compare(tr[a.track], tr[b.track]), cmp.Compare(rr[a.terr], rr[b.terr]))
		})
		for i := range left {
			gs[i].votes++
		}
	}
	for _, g := range gs {
		w.agg.votes[uint64(g.track)<<16|uint64(g.terr)] += g.votes
	}
}

func cmpGroup(a, b group) int {
	if a.track != b.track {
		return cmp.Compare(a.track, b.track)
	}
	return cmp.Compare(a.terr, b.terr)
}

func hasDup(gs []group) bool {
	for i := 1; i < len(gs); i++ {
		if gs[i].track == gs[i-1].track && gs[i].terr == gs[i-1].terr {
			return true
		}
	}
	return false
}
