package reco

import (
	"context"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/royalty"
)

// Signal weights. A play of 30 s or more is a positive (the royalty
// threshold: it counted as a stream), a completed one a little more; a
// shorter play is a skip, a weak negative; saving a track and adding it
// to one's own playlist are strong positives.
const (
	WeightPlay      = 1
	WeightCompleted = 0.5
	WeightSkip      = -0.5
	WeightSave      = 3
	WeightPlaylist  = 2
	MinPlayMs       = 30_000
)

// PlayWeight is the signal of one playback report.
func PlayWeight(durationMs int64, completed bool) float32 {
	switch {
	case durationMs < MinPlayMs && !completed:
		return WeightSkip
	case completed:
		return WeightPlay + WeightCompleted
	}
	return WeightPlay
}

// TrackPlays counts a track's plays and completions in the window.
type TrackPlays struct{ Plays, Completions int64 }

// ScanPlays reads the lake's reports played in [from, to) by users whose
// bucket (royalty.UserBucket) is in [lo, hi) of buckets, and calls add
// with each authenticated report's signal. plays, if not nil, collects
// the same users' plays of 30 s or more and completions per track; parts
// add up to every listener's (the bandit's evidence). Reports of one play arrive as
// progress updates too; a user's repeated reports of a track add up,
// which weighs what they listen to most, as the confidence should.
func ScanPlays(ctx context.Context, store music.BlobStore, from, to time.Time, buckets, lo, hi int,
	add func(user, track string, w float32), plays map[string]*TrackPlays) error {
	files, err := lake.FilesBetween(ctx, store, from, to)
	if err != nil {
		return err
	}
	var cols lake.Columns
	var inPart []int8 // per user dictionary entry: 1 in part, else 0
	fromMs, toMs := from.UnixMilli(), to.UnixMilli()
	for _, fi := range files {
		f, err := lake.OpenFile(ctx, store, fi.Key)
		if err != nil {
			return err
		}
		err = f.ScanColumns(ctx, &cols, func(c *lake.Columns) error {
			inPart = inPart[:0]
			for i := range c.User.Len() {
				b := c.User.Entry(i)
				if bk := royalty.UserBucket(b, buckets); len(b) > 0 && bk >= lo && bk < hi {
					inPart = append(inPart, 1)
				} else {
					inPart = append(inPart, 0)
				}
			}
			for i := range c.Rows {
				if p := c.PlayedAt[i]; p < fromMs || p >= toMs {
					continue
				}
				if inPart[c.User.Idx[i]] != 1 {
					continue
				}
				dur, done := c.Duration[i], c.Completed[i]
				track := string(c.Track.Entry(int(c.Track.Idx[i])))
				if plays != nil && (dur >= MinPlayMs || done) {
					tp := plays[track]
					if tp == nil {
						tp = &TrackPlays{}
						plays[track] = tp
					}
					tp.Plays++
					if done {
						tp.Completions++
					}
				}
				add(string(c.User.Entry(int(c.User.Idx[i]))), track, PlayWeight(dur, done))
			}
			return nil
		})
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
