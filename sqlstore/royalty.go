package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// SetPool sets a territory's revenue pool for a month (royalty.PoolStore).
func (s *Store) SetPool(ctx context.Context, month, territory string, amount plays.Micros) error {
	if err := plays.CheckPool(month, territory, amount); err != nil {
		return err
	}
	_, err := s.exec(ctx, s.db, `INSERT INTO royalty_pools (month, territory, amount_micros, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (month, territory) DO UPDATE SET amount_micros = excluded.amount_micros, updated_at = excluded.updated_at`,
		month, territory, int64(amount), s.now())
	if err != nil {
		return fmt.Errorf("set pool %s %s: %w", month, territory, err)
	}
	return nil
}

// Pools returns the month's pools by territory (royalty.PoolStore).
func (s *Store) Pools(ctx context.Context, month string) (map[string]plays.Micros, error) {
	rows, err := s.query(ctx, s.db, "SELECT territory, amount_micros FROM royalty_pools WHERE month = ?", month)
	if err != nil {
		return nil, fmt.Errorf("pools %s: %w", month, err)
	}
	defer rows.Close()
	out := map[string]plays.Micros{}
	for rows.Next() {
		var t string
		var a int64
		if err := rows.Scan(&t, &a); err != nil {
			return nil, err
		}
		out[t] = plays.Micros(a)
	}
	return out, rows.Err()
}

// replaceMonthRows replaces a month's per-track daily counts and ledger
// inside a settlement's transaction.
func (s *Store) replaceMonthRows(ctx context.Context, tx *sql.Tx, month, first, next string, daily []plays.DailyCount, ledger []plays.LedgerRow) error {
	if _, err := s.exec(ctx, tx, "DELETE FROM track_daily_streams WHERE day >= ? AND day < ?", first, next); err != nil {
		return fmt.Errorf("royalty %s: clear daily counts: %w", month, err)
	}
	for _, d := range daily {
		if d.Date < first || d.Date >= next {
			return music.Errorf(music.EINVALID, "royalty %s: daily count for %s is outside the month", month, d.Date)
		}
		if _, err := s.exec(ctx, tx, "INSERT INTO track_daily_streams (day, track_id, territory, streams) VALUES (?, ?, ?, ?)",
			d.Date, d.TrackID, d.Territory, d.Streams); err != nil {
			return fmt.Errorf("royalty %s: daily count: %w", month, err)
		}
	}
	if _, err := s.exec(ctx, tx, "DELETE FROM royalty_ledger WHERE month = ?", month); err != nil {
		return fmt.Errorf("royalty %s: clear ledger: %w", month, err)
	}
	for i, r := range ledger {
		if _, err := s.exec(ctx, tx, `INSERT INTO royalty_ledger (month, line, model, territory, track_id, holder_id, role, weight, amount_micros)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, month, i+1, r.Model, r.Territory, r.TrackID, r.HolderID, r.Role, r.Weight, r.AmountMicros); err != nil {
			return fmt.Errorf("royalty %s: ledger line %d: %w", month, i+1, err)
		}
	}
	return nil
}

// Ledger returns a month's ledger lines in order.
func (s *Store) Ledger(ctx context.Context, month string) ([]plays.LedgerRow, error) {
	return s.ledgerRows(ctx, `SELECT model, territory, track_id, holder_id, role, weight, amount_micros
		FROM royalty_ledger WHERE month = ? ORDER BY line`, month, month)
}

// ledgerRows reads ledger lines of month with query and its args.
func (s *Store) ledgerRows(ctx context.Context, query, month string, args ...any) ([]plays.LedgerRow, error) {
	rows, err := s.query(ctx, s.db, query, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", month, err)
	}
	defer rows.Close()
	var out []plays.LedgerRow
	for rows.Next() {
		r := plays.LedgerRow{Month: month}
		if err := rows.Scan(&r.Model, &r.Territory, &r.TrackID, &r.HolderID, &r.Role, &r.Weight, &r.AmountMicros); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DailyStreams returns a track's counted streams per day over territories,
// from the royalty runs so far.
func (s *Store) DailyStreams(ctx context.Context, trackID string) (map[string]int64, error) {
	rows, err := s.query(ctx, s.db, "SELECT day, SUM(streams) FROM track_daily_streams WHERE track_id = ? GROUP BY day", trackID)
	if err != nil {
		return nil, fmt.Errorf("daily streams %s: %w", trackID, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var d string
		var n int64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}

// SaveCharts replaces the charts of one day.
func (s *Store) SaveCharts(ctx context.Context, day string, charts []plays.Chart) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "DELETE FROM chart_entries WHERE day = ?", day); err != nil {
			return fmt.Errorf("charts %s: %w", day, err)
		}
		for _, c := range charts {
			if c.Date != day {
				return music.Errorf(music.EINVALID, "charts %s: chart %s/%s belongs to another day", day, c.Date, c.Category)
			}
			for _, e := range c.Entries {
				if _, err := s.exec(ctx, tx, "INSERT INTO chart_entries (day, category, rank, track_id, streams) VALUES (?, ?, ?, ?, ?)",
					day, c.Category, e.Rank, e.TrackID, e.Streams); err != nil {
					return fmt.Errorf("charts %s %s: %w", day, c.Category, err)
				}
			}
		}
		return nil
	})
}

// Chart returns the top limit entries of one day's chart in a category;
// a chart that was never computed is ENOTFOUND.
func (s *Store) Chart(ctx context.Context, day, category string, limit int) (plays.Chart, error) {
	rows, err := s.query(ctx, s.db, "SELECT rank, track_id, streams FROM chart_entries WHERE day = ? AND category = ? AND rank <= ? ORDER BY rank",
		day, category, limit)
	if err != nil {
		return plays.Chart{}, fmt.Errorf("chart %s %s: %w", day, category, err)
	}
	defer rows.Close()
	c := plays.Chart{Date: day, Category: category, Entries: []plays.ChartEntry{}}
	for rows.Next() {
		var e plays.ChartEntry
		if err := rows.Scan(&e.Rank, &e.TrackID, &e.Streams); err != nil {
			return c, err
		}
		c.Entries = append(c.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if len(c.Entries) == 0 {
		return c, music.Errorf(music.ENOTFOUND, "no %s chart for %s", category, day)
	}
	return c, nil
}
