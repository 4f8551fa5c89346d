package royalty

import (
	"cmp"
	"slices"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// Roles a contract share may have.
var Roles = map[string]bool{"label": true, "artist": true, "songwriter": true}

// Share is one rights holder's part of a track's earnings, in parts per
// million of the track's amount.
type Share struct {
	HolderID string `json:"holder_id"`
	Role     string `json:"role"`
	PPM      int64  `json:"ppm"`
}

// Models of distribution.
const (
	ModelProRata     = "pro_rata"     // pool split by stream share; what is paid
	ModelUserCentric = "user_centric" // each listener's share split over what they played; for comparison
)

// RoleUnallocated marks money no contract claims (a pool with no eligible
// streams, or a track with no contract); it stays in the ledger so the
// ledger always sums to the pool.
const RoleUnallocated = "unallocated"

// SettleInput is everything Settle needs; all of it is plain data, so the
// step is a pure function (a Temporal activity or local call).
type SettleInput struct {
	Month  time.Time
	Counts Partial
	Pools  map[string]plays.Micros // per territory
	Shares map[string][]Share      // per track
	Prior  map[string]int64        // counted streams per track in the 11 months before Month
	Rules  Rules
}

// TrackSummary is one track's month.
type TrackSummary struct {
	TrackID  string `json:"track_id"`
	Streams  int64  `json:"streams"`  // counted this month, all territories
	Trailing int64  `json:"trailing"` // this month plus the prior 11
	Eligible bool   `json:"eligible"`
}

// PoolSummary is one territory's pool under one model.
type PoolSummary struct {
	Model       string `json:"model"`
	Territory   string `json:"territory"`
	Pool        int64  `json:"pool_micros"`
	Weight      int64  `json:"eligible_weight"`
	Allocated   int64  `json:"allocated_micros"`
	Unallocated int64  `json:"unallocated_micros"`
}

// Settlement is the month's result.
type Settlement struct {
	Month  string            `json:"month"`
	Stats  Stats             `json:"stats"`
	Tracks []TrackSummary    `json:"tracks"`
	Pools  []PoolSummary     `json:"pools"`
	Ledger []plays.LedgerRow `json:"-"`
}

// Settle applies the eligibility threshold and splits every territory's
// pool, pro rata and user-centric, down to rights holders. Every split
// uses largest-remainder rounding, so each (model, territory) sums to its
// pool exactly. Output order is fixed, so re-runs are byte-identical.
func Settle(in SettleInput) (Settlement, error) {
	month := in.Month.UTC().Format("2006-01")
	for track, shares := range in.Shares {
		if err := checkShares(track, shares); err != nil {
			return Settlement{}, err
		}
	}
	if in.Rules == (Rules{}) {
		in.Rules = DefaultRules
	}
	out := Settlement{Month: month, Stats: in.Counts.Stats}
	totals := in.Counts.TrackTotals()
	eligible := map[string]bool{}
	for _, id := range sortedKeys(totals) {
		ts := TrackSummary{TrackID: id, Streams: totals[id], Trailing: totals[id] + in.Prior[id]}
		ts.Eligible = ts.Trailing >= in.Rules.EligibleStreams
		eligible[id] = ts.Eligible
		out.Tracks = append(out.Tracks, ts)
	}
	// Weights per territory, per model, of eligible tracks.
	streams := map[string]map[string]int64{}
	for _, d := range in.Counts.Daily {
		if eligible[d.TrackID] {
			addW(streams, d.Territory, d.TrackID, d.Streams)
		}
	}
	votes := map[string]map[string]int64{}
	for _, v := range in.Counts.Votes {
		if eligible[v.TrackID] {
			addW(votes, v.Territory, v.TrackID, v.Votes)
		}
	}
	for _, terr := range sortedKeys(in.Pools) {
		pool := in.Pools[terr]
		if pool < 0 {
			return Settlement{}, music.Errorf(music.EINVALID, "royalty %s: pool of %s is negative", month, terr)
		}
		for _, m := range []struct {
			model string
			w     map[string]int64
		}{{ModelProRata, streams[terr]}, {ModelUserCentric, votes[terr]}} {
			rows, sum := splitPool(month, m.model, terr, int64(pool), m.w, in.Shares)
			ps := PoolSummary{Model: m.model, Territory: terr, Pool: int64(pool), Weight: sum}
			for _, r := range rows {
				if r.Role == RoleUnallocated {
					ps.Unallocated += r.AmountMicros
				} else {
					ps.Allocated += r.AmountMicros
				}
			}
			out.Pools = append(out.Pools, ps)
			out.Ledger = append(out.Ledger, rows...)
		}
	}
	slices.SortFunc(out.Pools, func(a, b PoolSummary) int {
		return cmp.Or(cmp.Compare(a.Model, b.Model), cmp.Compare(a.Territory, b.Territory))
	})
	slices.SortFunc(out.Ledger, func(a, b plays.LedgerRow) int {
		return cmp.Or(cmp.Compare(a.Model, b.Model), cmp.Compare(a.Territory, b.Territory), cmp.Compare(a.TrackID, b.TrackID), cmp.Compare(a.Role, b.Role), cmp.Compare(a.HolderID, b.HolderID))
	})
	return out, nil
}

// splitPool splits one pool over tracks by weight, then each track's
// amount over its contract shares.
func splitPool(month, model, terr string, pool int64, w map[string]int64, shares map[string][]Share) ([]plays.LedgerRow, int64) {
	tracks := sortedKeys(w)
	weights := make([]int64, len(tracks))
	var sum int64
	for i, t := range tracks {
		weights[i] = w[t]
		sum += w[t]
	}
	if sum == 0 {
		if pool == 0 {
			return nil, 0
		}
		return []plays.LedgerRow{{Month: month, Model: model, Territory: terr, Role: RoleUnallocated, AmountMicros: pool}}, 0
	}
	var rows []plays.LedgerRow
	for i, amount := range splitLargestRemainder(pool, weights) {
		t := tracks[i]
		base := plays.LedgerRow{Month: month, Model: model, Territory: terr, TrackID: t, Weight: weights[i]}
		sh := shares[t]
		if len(sh) == 0 {
			base.Role, base.AmountMicros = RoleUnallocated, amount
			rows = append(rows, base)
			continue
		}
		sh = slices.Clone(sh)
		slices.SortFunc(sh, func(a, b Share) int { return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.HolderID, b.HolderID)) })
		ppm := make([]int64, len(sh))
		for j, s := range sh {
			ppm[j] = s.PPM
		}
		for j, part := range splitLargestRemainder(amount, ppm) {
			r := base
			r.HolderID, r.Role, r.AmountMicros = sh[j].HolderID, sh[j].Role, part
			rows = append(rows, r)
		}
	}
	return rows, sum
}

func checkShares(track string, shares []Share) error {
	var sum int64
	seen := map[[2]string]bool{}
	for _, s := range shares {
		switch {
		case s.HolderID == "":
			return music.Errorf(music.EINVALID, "contract of track %s: a share has no holder", track)
		case !Roles[s.Role]:
			return music.Errorf(music.EINVALID, "contract of track %s: role %q is not label, artist or songwriter", track, s.Role)
		case s.PPM <= 0:
			return music.Errorf(music.EINVALID, "contract of track %s: share of %s is not positive", track, s.HolderID)
		case seen[[2]string{s.HolderID, s.Role}]:
			return music.Errorf(music.EINVALID, "contract of track %s: %s appears twice as %s", track, s.HolderID, s.Role)
		}
		seen[[2]string{s.HolderID, s.Role}] = true
		sum += s.PPM
	}
	if len(shares) > 0 && sum != 1_000_000 {
		return music.Errorf(music.EINVALID, "contract of track %s: shares sum to %d ppm, want 1000000", track, sum)
	}
	return nil
}

func addW(m map[string]map[string]int64, terr, track string, n int64) {
	if m[terr] == nil {
		m[terr] = map[string]int64{}
	}
	m[terr][track] += n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
