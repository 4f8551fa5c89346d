package royalty

import (
	"cmp"
	"slices"

	"github.com/openmusic/music/plays"
)

// Stats counts what happened to the month's reports. Every row and play
// is accounted for: Rows = Anonymous + Unpaid + OutsideMonth + Reports,
// Reports = Duplicates + Plays + LookbackPlays, and
// Plays = Short + Streams, Streams = Removed… + Counted.
type Stats struct {
	Rows          int64 `json:"rows"`           // lake rows read
	Anonymous     int64 `json:"anonymous"`      // rows with no user
	Unpaid        int64 `json:"unpaid"`         // rows of accounts that are never paid (labels, ops)
	OutsideMonth  int64 `json:"outside_month"`  // authenticated rows outside the month window
	Reports       int64 `json:"reports"`        // authenticated reports in the window
	Duplicates    int64 `json:"duplicates"`     // reports merged into an earlier report of the same play
	LookbackPlays int64 `json:"lookback_plays"` // plays begun in the previous month (counted there)
	Plays         int64 `json:"plays"`          // distinct plays begun this month
	Short         int64 `json:"short"`          // plays shorter than Rules.MinPlay
	Streams       int64 `json:"streams"`        // plays of at least MinPlay, before fraud rules
	HourlyVolume  int64 `json:"removed_hourly_volume"`
	TrackLoop     int64 `json:"removed_track_loop"`
	FreshAccount  int64 `json:"removed_fresh_account"`
	Counted       int64 `json:"counted"`       // streams that count
	Listeners     int64 `json:"listeners"`     // users with at least one counted stream
	FlaggedUsers  int64 `json:"flagged_users"` // users with at least one removed stream
}

func (s *Stats) add(o Stats) {
	s.Rows += o.Rows
	s.Anonymous += o.Anonymous
	s.Unpaid += o.Unpaid
	s.OutsideMonth += o.OutsideMonth
	s.Reports += o.Reports
	s.Duplicates += o.Duplicates
	s.LookbackPlays += o.LookbackPlays
	s.Plays += o.Plays
	s.Short += o.Short
	s.Streams += o.Streams
	s.HourlyVolume += o.HourlyVolume
	s.TrackLoop += o.TrackLoop
	s.FreshAccount += o.FreshAccount
	s.Counted += o.Counted
	s.Listeners += o.Listeners
	s.FlaggedUsers += o.FlaggedUsers
}

// Removed maps each fraud rule to the streams it removed.
func (s Stats) Removed() map[string]int64 {
	return map[string]int64{RuleHourlyVolume: s.HourlyVolume, RuleTrackLoop: s.TrackLoop, RuleFreshAccount: s.FreshAccount}
}

// Votes is a track's user-centric weight in one territory: the sum over
// listeners of the share of their fee (VoteUnit each) its streams earned.
type Votes struct {
	TrackID   string `json:"track_id"`
	Territory string `json:"territory"`
	Votes     int64  `json:"votes"`
}

// VoteUnit is one listener's whole user-centric weight. Each listener's
// unit is split over what they streamed with largest-remainder rounding,
// so votes are exact integers that add up across partitions.
const VoteUnit = 1_000_000

// Partial is the mergeable result of processing some buckets: counts with
// string keys, so partials from different processes (Temporal activities)
// merge by plain addition. Slices are sorted by key.
type Partial struct {
	Daily []plays.DailyCount `json:"daily"`
	Votes []Votes            `json:"votes"`
	Stats Stats              `json:"stats"`
}

// Merge adds partials. It is associative and commutative, so a workflow
// can merge activity results in any grouping and order.
func Merge(parts ...Partial) Partial {
	var out Partial
	for _, p := range parts {
		out.Daily = append(out.Daily, p.Daily...)
		out.Votes = append(out.Votes, p.Votes...)
		out.Stats.add(p.Stats)
	}
	slices.SortFunc(out.Daily, cmpDaily)
	out.Daily = compact(out.Daily, func(a, b plays.DailyCount) bool { return cmpDaily(a, b) == 0 }, func(a *plays.DailyCount, b plays.DailyCount) { a.Streams += b.Streams })
	slices.SortFunc(out.Votes, cmpVotes)
	out.Votes = compact(out.Votes, func(a, b Votes) bool { return cmpVotes(a, b) == 0 }, func(a *Votes, b Votes) { a.Votes += b.Votes })
	return out
}

func cmpDaily(a, b plays.DailyCount) int {
	return cmp.Or(cmp.Compare(a.TrackID, b.TrackID), cmp.Compare(a.Date, b.Date), cmp.Compare(a.Territory, b.Territory))
}

func cmpVotes(a, b Votes) int {
	return cmp.Or(cmp.Compare(a.TrackID, b.TrackID), cmp.Compare(a.Territory, b.Territory))
}

// compact folds runs of equal neighbours with add.
func compact[T any](s []T, eq func(a, b T) bool, add func(a *T, b T)) []T {
	out := s[:0]
	for _, v := range s {
		if n := len(out); n > 0 && eq(out[n-1], v) {
			add(&out[n-1], v)
			continue
		}
		out = append(out, v)
	}
	return out
}

// TrackTotals sums the daily counts per track over days and territories.
func (p Partial) TrackTotals() map[string]int64 {
	m := map[string]int64{}
	for _, d := range p.Daily {
		m[d.TrackID] += d.Streams
	}
	return m
}
