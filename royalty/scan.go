package royalty

import (
	"context"
	"fmt"
	"time"

	"github.com/openmusic/music/lake"
)

// window is the time frame of one month's run, in unix ms. Reports from
// [base, start) are read only so that a play which began in the previous
// month cannot be counted again here; they never count themselves.
type window struct {
	base, start, end int64
	fresh            int64 // Rules.FreshAccount in ms
}

func monthWindow(month time.Time, r Rules) window {
	start := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	return rangeWindow(start, start.AddDate(0, 1, 0), r)
}

func rangeWindow(start, end time.Time, r Rules) window {
	return window{
		base:  start.Add(-r.DedupWindow).UnixMilli(),
		start: start.UnixMilli(),
		end:   end.UnixMilli(),
		fresh: r.FreshAccount.Milliseconds(),
	}
}

// scanState is shared by the scan workers of one run.
type scanState struct {
	win                  window
	buckets              int
	part                 BucketRange
	users, tracks, terrs *interner
	unpaid               map[string]bool // CountOptions.Unpaid
	trackRank, terrRank  []uint32        // string-order ranks, set after the scan
}

const (
	anonymous = ^uint32(0)
	otherPart = anonymous - 1 // a user outside this call's bucket range
	unpaid    = anonymous - 2 // a label or ops account in this call's range
)

// scanWorker routes one worker's files into its shuffle.
type scanWorker struct {
	st    *scanState
	sh    *shuffle
	cols  lake.Columns
	uMap  []uint32
	uBkt  []uint32
	tMap  []uint32
	sMap  []uint64
	trMap []uint32
	stats Stats
}

// scanFile reads one lake file's projection and routes every
// authenticated report of the window into a user bucket.
func (w *scanWorker) scanFile(ctx context.Context, f *lake.File) error {
	return f.ScanColumns(ctx, &w.cols, func(c *lake.Columns) error {
		w.mapDicts(c)
		win := w.st.win
		uIdx, tIdx, sIdx, trIdx := c.User.Idx, c.Track.Idx, c.Session.Idx, c.Territory.Idx
		played, created, dur, done := c.PlayedAt, c.UserCreatedAt, c.Duration, c.Completed
		// Rows are attributed to the call that owns their user's bucket
		// (anonymous rows to the one owning bucket 0) so that Stats of
		// disjoint calls add up.
		ownsAnon := w.st.part.Lo == 0
		for i := 0; i < c.Rows; i++ {
			u := w.uMap[uIdx[i]]
			if u >= unpaid {
				switch {
				case u == anonymous && ownsAnon:
					w.stats.Rows++
					w.stats.Anonymous++
				case u == unpaid:
					w.stats.Rows++
					w.stats.Unpaid++
				}
				continue
			}
			w.stats.Rows++
			p := played[i]
			if p < win.base || p >= win.end {
				w.stats.OutsideMonth++
				continue
			}
			r := rec{
				sess:  w.sMap[sIdx[i]],
				user:  u,
				track: w.tMap[tIdx[i]],
				t:     uint32(p - win.base),
				terr:  uint16(w.trMap[trIdx[i]]),
			}
			switch d := dur[i]; {
			case d < 0:
			case d > 1<<32-1:
				r.dur = 1<<32 - 1
			default:
				r.dur = uint32(d)
			}
			if done[i] {
				r.flags |= flagCompleted
			}
			if p-created[i] < win.fresh {
				r.flags |= flagFresh
			}
			if err := w.sh.add(int(w.uBkt[uIdx[i]]), r); err != nil {
				return err
			}
		}
		return nil
	})
}

// mapDicts maps every dictionary entry of the row group once: interned
// user (and its bucket), track and territory ids and session hashes.
func (w *scanWorker) mapDicts(c *lake.Columns) {
	st := w.st
	w.uMap, w.uBkt = w.uMap[:0], w.uBkt[:0]
	st.users.mu.Lock()
	for i := range c.User.Len() {
		b := c.User.Entry(i)
		if len(b) == 0 {
			w.uMap, w.uBkt = append(w.uMap, anonymous), append(w.uBkt, 0)
			continue
		}
		bkt := UserBucket(b, st.buckets)
		if bkt < st.part.Lo || bkt >= st.part.Hi {
			w.uMap, w.uBkt = append(w.uMap, otherPart), append(w.uBkt, 0)
			continue
		}
		if st.unpaid[string(b)] {
			w.uMap, w.uBkt = append(w.uMap, unpaid), append(w.uBkt, 0)
			continue
		}
		w.uMap, w.uBkt = append(w.uMap, st.users.idLocked(b)), append(w.uBkt, uint32(bkt))
	}
	st.users.mu.Unlock()
	w.tMap = mapStrings(st.tracks, &c.Track, w.tMap[:0])
	w.trMap = mapStrings(st.terrs, &c.Territory, w.trMap[:0])
	w.sMap = w.sMap[:0]
	for i := range c.Session.Len() {
		w.sMap = append(w.sMap, hash64(c.Session.Entry(i)))
	}
}

func mapStrings(in *interner, c *lake.StringColumn, dst []uint32) []uint32 {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range c.Len() {
		dst = append(dst, in.idLocked(c.Entry(i)))
	}
	return dst
}

// checkTerritories fails if more territories appear than a rec can hold.
func (st *scanState) checkTerritories() error {
	if n := st.terrs.len(); n > 1<<16 {
		return fmt.Errorf("royalty: %d distinct territories, at most 65536 supported", n)
	}
	return nil
}
