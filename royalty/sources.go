package royalty

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// PoolStore keeps the monthly revenue pools. The blob-backed BlobPools is
// the stand-in until the catalog DB holds them.
type PoolStore interface {
	SetPool(ctx context.Context, month, territory string, amount plays.Micros) error
	Pools(ctx context.Context, month string) (map[string]plays.Micros, error)
}

// BlobPools stores each month's pools as royalty/pools/month=YYYY-MM.json.
// Read-modify-write: one operator at a time (the CLI), which is why the
// catalog DB will replace it.
type BlobPools struct{ Store music.BlobStore }

func poolKey(month string) string { return "royalty/pools/month=" + month + ".json" }

// Pools returns the month's pools (empty if none were set).
func (p BlobPools) Pools(ctx context.Context, month string) (map[string]plays.Micros, error) {
	rc, _, err := p.Store.Get(ctx, poolKey(month))
	if music.ErrorCode(err) == music.ENOTFOUND {
		return map[string]plays.Micros{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("royalty pools %s: %w", month, err)
	}
	defer rc.Close()
	pools := map[string]plays.Micros{}
	if err := json.NewDecoder(rc).Decode(&pools); err != nil {
		return nil, fmt.Errorf("royalty pools %s: %w", poolKey(month), err)
	}
	return pools, nil
}

// SetPool sets one territory's pool for the month.
func (p BlobPools) SetPool(ctx context.Context, month, territory string, amount plays.Micros) error {
	if err := plays.CheckPool(month, territory, amount); err != nil {
		return err
	}
	pools, err := p.Pools(ctx, month)
	if err != nil {
		return err
	}
	pools[territory] = amount
	data, _ := json.MarshalIndent(pools, "", "  ")
	if _, err := p.Store.Put(ctx, poolKey(month), bytes.NewReader(append(data, '\n')), music.PutOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("royalty pools %s: %w", month, err)
	}
	return nil
}

// ReadContracts parses contract shares from CSV with the header
// track_id,holder_id,role,ppm. Errors name the line.
func ReadContracts(r io.Reader) (map[string][]Share, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 4
	out := map[string][]Share{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, music.Errorf(music.EINVALID, "contracts: %v", err)
		}
		if line == 1 {
			if strings.Join(rec, ",") != "track_id,holder_id,role,ppm" {
				return nil, music.Errorf(music.EINVALID, "contracts line 1: want header track_id,holder_id,role,ppm")
			}
			continue
		}
		ppm, err := strconv.ParseInt(rec[3], 10, 64)
		if err != nil || rec[0] == "" {
			return nil, music.Errorf(music.EINVALID, "contracts line %d: want a track id and an integer ppm", line)
		}
		out[rec[0]] = append(out[rec[0]], Share{HolderID: rec[1], Role: rec[2], PPM: ppm})
	}
	for t, s := range out {
		if err := checkShares(t, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PriorStreams sums the counted streams per track of the 11 months before
// month from earlier runs' track_totals.csv. Months without a run are
// returned in missing (they count as zero, which can only lower
// eligibility, never pay a track that should not be paid).
func PriorStreams(ctx context.Context, store music.BlobStore, month time.Time) (map[string]int64, []string, error) {
	prior := map[string]int64{}
	var missing []string
	for i := 1; i <= 11; i++ {
		m := month.AddDate(0, -i, 0).Format("2006-01")
		key := OutputPrefix(m) + "track_totals.csv"
		rc, _, err := store.Get(ctx, key)
		if music.ErrorCode(err) == music.ENOTFOUND {
			missing = append(missing, m)
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("royalty prior %s: %w", key, err)
		}
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			return nil, nil, music.Errorf(music.EINVALID, "royalty prior %s: %v", key, err)
		}
		for j, r := range recs[min(1, len(recs)):] {
			if len(r) < 2 {
				return nil, nil, music.Errorf(music.EINVALID, "royalty prior %s line %d: too few fields", key, j+2)
			}
			n, err := strconv.ParseInt(r[1], 10, 64)
			if err != nil {
				return nil, nil, music.Errorf(music.EINVALID, "royalty prior %s line %d: bad streams", key, j+2)
			}
			prior[r[0]] += n
		}
	}
	return prior, missing, nil
}
