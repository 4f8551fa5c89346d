// Package royalty computes a month of stream counts and royalties from the
// playback lake: deduplication, the 30-second rule, fraud rules, per-track
// daily counts, the trailing-12-month eligibility threshold, per-territory
// revenue pools split pro rata (and user-centric, for comparison), then per
// rights holder by contract shares, in integer micro-units.
//
// The work splits into pure steps that a Temporal workflow fans out:
// Scan (per lake file: route rows into user-hash buckets), ProcessBucket
// (per bucket: dedup, 30 s, fraud, aggregate → Partial), Merge (Partials
// add up) and Settle (pools and contracts → ledger). See docs/royalty.md.
package royalty

import "time"

// Rules are the counting and fraud rules. DefaultRules are the platform's.
type Rules struct {
	// DedupWindow: reports of the same (user, track, session) whose gap to
	// the previous report is under it belong to one play (a session
	// window: a continuing play keeps extending it).
	DedupWindow time.Duration
	// MinPlay: a play counts as a stream when its longest reported
	// duration reaches it.
	MinPlay time.Duration
	// HourlyLimit: a user with more streams than this in one UTC clock
	// hour loses all of that hour's streams (rule "hourly_volume").
	HourlyLimit int
	// DailyTrackLimit: a user with more streams of one track than this in
	// one UTC day loses all of them (rule "track_loop").
	DailyTrackLimit int
	// FreshAccount: plays within this long of account creation are
	// "fresh". A user whose fresh plays number at least FreshMinPlays and
	// either were never skipped (all completed) or cover at most
	// FreshMaxDistinct distinct tracks loses every fresh stream (rule
	// "fresh_account").
	FreshAccount     time.Duration
	FreshMinPlays    int
	FreshMaxDistinct int
	// EligibleStreams: a track needs at least this many counted streams in
	// the trailing 12 months (this month included) to earn anything.
	EligibleStreams int64
}

// DefaultRules are the platform's counting rules (docs/royalty.md).
var DefaultRules = Rules{
	DedupWindow:      5 * time.Minute,
	MinPlay:          30 * time.Second,
	HourlyLimit:      500,
	DailyTrackLimit:  100,
	FreshAccount:     24 * time.Hour,
	FreshMinPlays:    50,
	FreshMaxDistinct: 3,
	EligibleStreams:  1000,
}

// Fraud rule names, in the order a removed stream is attributed: a stream
// caught by several rules is counted under the first.
const (
	RuleHourlyVolume = "hourly_volume"
	RuleTrackLoop    = "track_loop"
	RuleFreshAccount = "fresh_account"
)
