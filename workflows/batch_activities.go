package workflows

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/rankings"
	"github.com/openmusic/music/royalty"
)

// BatchStore is what the batch activities keep in the catalog DB
// (sqlstore.Store implements it).
type BatchStore interface {
	royalty.PoolStore
	// CurrentSettlement is the month's latest settlement, if any.
	CurrentSettlement(ctx context.Context, month string) (plays.SettledMonth, bool, error)
	// SaveRoyaltyMonth stores a settlement of run runID; a month another
	// run settled needs force (plays.CheckResettle).
	SaveRoyaltyMonth(ctx context.Context, month, runID string, force bool, daily []plays.DailyCount, ledger []plays.LedgerRow) error
	SaveCharts(ctx context.Context, day string, charts []plays.Chart) error
}

// Kinds of counting period.
const (
	KindMonth = "month" // Period YYYY-MM
	KindDay   = "date"  // Period YYYY-MM-DD
	KindRange = "range" // Period FROM..TO, days YYYY-MM-DD, TO exclusive
)

// DefaultContractsKey is where the contracts CSV lives in the blob store
// unless a run names another object. The monthly schedule reads it, and a
// missing one fails the run: settling with no contracts at all must be an
// explicit choice (a CSV with only the header line).
const DefaultContractsKey = "royalty/contracts.csv"

// CountPart is one activity's share of a batch: a range of user-hash
// buckets over one period.
type CountPart struct {
	Kind, Period    string
	Buckets, Lo, Hi int
}

// partKey is where a part's result is stored: workflows pass keys, not
// counts, between steps.
func (p CountPart) partKey() string {
	return fmt.Sprintf("batches/%s=%s/part-%04d-%04d-of-%04d.json", p.Kind, p.Period, p.Lo, p.Hi, p.Buckets)
}

// UnpaidAccounts is the set of accounts whose plays never earn royalties
// (music.UnpaidRoles), for royalty.CountOptions.Unpaid. Without a user
// store it fails: paying a label's own plays is worse than not running.
func UnpaidAccounts(ctx context.Context, users music.UserStore) (map[string]bool, error) {
	if users == nil {
		return nil, music.Errorf(music.EINTERNAL, "royalty count: no user store to tell listeners from label and ops accounts")
	}
	out := map[string]bool{}
	for _, role := range music.UnpaidRoles {
		ids, err := users.UserIDsByRole(ctx, role)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// CountStreams counts one part's streams from the lake and stores the
// royalty.Partial as JSON; it returns the key. A corrupt lake file fails
// it without retries, naming the file.
func (a *Activities) CountStreams(ctx context.Context, p CountPart) (string, error) {
	_, stop := keepAlive(ctx, "count")
	defer stop()
	opts := royalty.CountOptions{Buckets: p.Buckets, Part: royalty.BucketRange{Lo: p.Lo, Hi: p.Hi}, Workers: a.CountWorkers}
	var part royalty.Partial
	var err error
	switch p.Kind {
	case KindMonth:
		var m time.Time
		if m, err = plays.ParseMonth(p.Period); err == nil {
			if opts.Unpaid, err = UnpaidAccounts(ctx, a.Users); err == nil {
				part, err = royalty.CountMonth(ctx, a.Blobs, m, opts)
			}
		}
	case KindDay:
		var d time.Time
		if d, err = time.Parse(time.DateOnly, p.Period); err != nil {
			err = music.Errorf(music.EINVALID, "day %q: want YYYY-MM-DD", p.Period)
		} else {
			part, err = royalty.CountDay(ctx, a.Blobs, d, opts)
		}
	case KindRange:
		var from, to time.Time
		if from, to, err = parseDayRange(p.Period); err == nil {
			part, err = royalty.CountRange(ctx, a.Blobs, from, to, opts)
		}
	default:
		err = music.Errorf(music.EINVALID, "count kind %q", p.Kind)
	}
	if err != nil {
		return "", activityError(err)
	}
	data, err := json.Marshal(part)
	if err != nil {
		return "", err
	}
	key := p.partKey()
	if _, err := a.Blobs.Put(ctx, key, bytes.NewReader(data), music.PutOptions{ContentType: "application/json"}); err != nil {
		return "", fmt.Errorf("store %s: %w", key, err)
	}
	return key, nil
}

// dayRange is a KindRange period.
func dayRange(from, to time.Time) string {
	return from.Format(time.DateOnly) + ".." + to.Format(time.DateOnly)
}

func parseDayRange(period string) (from, to time.Time, err error) {
	a, b, ok := strings.Cut(period, "..")
	from, err1 := time.Parse(time.DateOnly, a)
	to, err2 := time.Parse(time.DateOnly, b)
	if !ok || err1 != nil || err2 != nil || !from.Before(to) {
		return from, to, music.Errorf(music.EINVALID, "day range %q: want FROM..TO (YYYY-MM-DD, FROM before TO)", period)
	}
	return from, to, nil
}

// SettleRequest names a month's counted parts.
type SettleRequest struct {
	Month        string
	PartKeys     []string
	ContractsKey string
	// Force settles a month another run settled; that ledger is kept.
	Force bool
	// Run identifies the settling workflow run, so a retried activity is
	// recognised as the same settlement.
	Run string
}

// SettleRoyaltyMonth merges the parts and settles the month (see
// RoyaltyMonth).
func (a *Activities) SettleRoyaltyMonth(ctx context.Context, r SettleRequest) (RoyaltyMonthResult, error) {
	m, err := plays.ParseMonth(r.Month)
	if err != nil {
		return RoyaltyMonthResult{}, activityError(err)
	}
	// Refuse before writing any output: a settled month's files and
	// ledger stay as they are unless the run is forced.
	runID := r.Run
	cur, settled, err := a.Batches.CurrentSettlement(ctx, r.Month)
	if err != nil {
		return RoyaltyMonthResult{}, err
	}
	if err := plays.CheckResettle(cur, settled, runID, r.Force); err != nil {
		return RoyaltyMonthResult{}, temporal.NewNonRetryableApplicationError(err.Error(), music.ECONFLICT, err)
	}
	counts, err := a.readParts(ctx, r.PartKeys)
	if err != nil {
		return RoyaltyMonthResult{}, err
	}
	pools, err := a.Batches.Pools(ctx, r.Month)
	if err != nil {
		return RoyaltyMonthResult{}, err
	}
	prior, missing, err := royalty.PriorStreams(ctx, a.Blobs, m)
	if err != nil {
		return RoyaltyMonthResult{}, activityError(err)
	}
	shares, err := a.contracts(ctx, r.ContractsKey)
	if err != nil {
		return RoyaltyMonthResult{}, activityError(err)
	}
	s, err := royalty.Settle(royalty.SettleInput{Month: m, Counts: counts, Pools: pools, Shares: shares, Prior: prior, Rules: royalty.DefaultRules})
	if err != nil {
		return RoyaltyMonthResult{}, activityError(err)
	}
	keys, err := royalty.WriteOutputs(ctx, a.Blobs, s, counts)
	if err != nil {
		return RoyaltyMonthResult{}, err
	}
	if err := a.Batches.SaveRoyaltyMonth(ctx, r.Month, runID, r.Force, counts.Daily, s.Ledger); err != nil {
		return RoyaltyMonthResult{}, err
	}
	return RoyaltyMonthResult{Month: r.Month, Stats: s.Stats, LedgerLines: len(s.Ledger), Keys: keys, MissingPrior: missing}, nil
}

// RankRequest names a day's counted parts.
type RankRequest struct {
	Date     string
	PartKeys []string
	Limit    int
}

// RankDay merges the parts, ranks the day overall and per genre (the
// track's genre, lower-cased, is the category) and stores the charts.
func (a *Activities) RankDay(ctx context.Context, r RankRequest) (RankingsResult, error) {
	counts, err := a.readParts(ctx, r.PartKeys)
	if err != nil {
		return RankingsResult{}, err
	}
	genres := map[string]string{}
	tracks := 0
	for _, d := range counts.Daily {
		if _, ok := genres[d.TrackID]; ok {
			continue
		}
		tracks++
		t, err := a.Catalog.Track(ctx, d.TrackID, music.Visibility{})
		switch {
		case err == nil:
			genres[d.TrackID] = strings.ToLower(t.Genre)
		case music.ErrorCode(err) == music.ENOTFOUND:
			genres[d.TrackID] = "" // in the overall chart only
		default:
			return RankingsResult{}, err
		}
	}
	charts := rankings.Daily(counts.Daily, func(id string) string { return genres[id] }, r.Limit)
	if err := a.Batches.SaveCharts(ctx, r.Date, charts); err != nil {
		return RankingsResult{}, err
	}
	return RankingsResult{Date: r.Date, Charts: len(charts), Tracks: tracks}, nil
}

// readParts loads and merges stored partial counts.
func (a *Activities) readParts(ctx context.Context, keys []string) (royalty.Partial, error) {
	parts := make([]royalty.Partial, len(keys))
	for i, key := range keys {
		rc, _, err := a.Blobs.Get(ctx, key)
		if err != nil {
			return royalty.Partial{}, fmt.Errorf("read %s: %w", key, err)
		}
		err = json.NewDecoder(rc).Decode(&parts[i])
		rc.Close()
		if err != nil {
			return royalty.Partial{}, activityError(music.Errorf(music.EINVALID, "partial counts %s: %v", key, err))
		}
	}
	return royalty.Merge(parts...), nil
}

// contracts reads the contracts CSV at key (DefaultContractsKey if
// empty). A missing file is EINVALID, so the run fails at once.
func (a *Activities) contracts(ctx context.Context, key string) (map[string][]royalty.Share, error) {
	if key == "" {
		key = DefaultContractsKey
	}
	rc, _, err := a.Blobs.Get(ctx, key)
	if music.ErrorCode(err) == music.ENOTFOUND {
		return nil, music.Errorf(music.EINVALID, "contracts %s: not in the blob store; store one with musicctl royalty contracts set FILE (a CSV with only its header settles with no contracts)", key)
	}
	if err != nil {
		return nil, fmt.Errorf("contracts %s: %w", key, err)
	}
	defer rc.Close()
	shares, err := royalty.ReadContracts(rc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return shares, nil
}

// activityError makes bad input (EINVALID) non-retryable, so a corrupt
// file fails the workflow at once with its name instead of retrying.
func activityError(err error) error {
	if music.ErrorCode(err) == music.EINVALID {
		return temporal.NewNonRetryableApplicationError(err.Error(), music.EINVALID, err)
	}
	return err
}
