package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/openmusic/music/plays"
)

// CurrentSettlement returns the month's latest settlement; ok is false
// when the month was never settled. A month settled before versions were
// kept is version 1 with no run ID.
func (s *Store) CurrentSettlement(ctx context.Context, month string) (plays.SettledMonth, bool, error) {
	return s.currentSettlement(ctx, s.db, month)
}

func (s *Store) currentSettlement(ctx context.Context, q querier, month string) (plays.SettledMonth, bool, error) {
	st := plays.SettledMonth{Month: month}
	var forced int
	var at int64
	err := s.queryRow(ctx, q, `SELECT version, run_id, forced, settled_at FROM royalty_settlements
		WHERE month = ? ORDER BY version DESC LIMIT 1`, month).Scan(&st.Version, &st.RunID, &forced, &at)
	switch {
	case err == nil:
		st.Forced, st.SettledAt = forced == 1, fromMS(at)
		return st, true, nil
	case err != sql.ErrNoRows:
		return st, false, fmt.Errorf("settlement %s: %w", month, err)
	}
	var n int
	if err := s.queryRow(ctx, q, "SELECT COUNT(*) FROM royalty_ledger WHERE month = ?", month).Scan(&n); err != nil {
		return st, false, fmt.Errorf("settlement %s: %w", month, err)
	}
	st.Version = 1
	return st, n > 0, nil
}

// SaveRoyaltyMonth writes a month's per-track daily counts and ledger in
// one transaction, so a run leaves exactly its own rows. A month another
// run settled is refused unless force; then its ledger is kept under its
// version in royalty_ledger_versions and this run's becomes the next.
func (s *Store) SaveRoyaltyMonth(ctx context.Context, month, runID string, force bool, daily []plays.DailyCount, ledger []plays.LedgerRow) error {
	m, err := plays.ParseMonth(month)
	if err != nil {
		return err
	}
	first, next := m.Format(time.DateOnly), m.AddDate(0, 1, 0).Format(time.DateOnly)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		cur, settled, err := s.currentSettlement(ctx, tx, month)
		if err != nil {
			return err
		}
		if err := plays.CheckResettle(cur, settled, runID, force); err != nil {
			return err
		}
		switch {
		case !settled:
			err = s.insertSettlement(ctx, tx, month, 1, runID, false)
		case cur.RunID != "" && cur.RunID == runID:
			// A retry of the run that settled it rewrites its own rows.
		default:
			if err = s.archiveLedger(ctx, tx, cur); err == nil {
				err = s.insertSettlement(ctx, tx, month, cur.Version+1, runID, true)
			}
		}
		if err != nil {
			return err
		}
		return s.replaceMonthRows(ctx, tx, month, first, next, daily, ledger)
	})
}

// archiveLedger copies the current ledger of a month under its version.
func (s *Store) archiveLedger(ctx context.Context, tx *sql.Tx, cur plays.SettledMonth) error {
	if cur.RunID == "" {
		// Settled before versions were kept: record that settlement.
		if _, err := s.exec(ctx, tx, `INSERT INTO royalty_settlements (month, version, run_id, forced, settled_at)
			VALUES (?, ?, '', 0, 0) ON CONFLICT (month, version) DO NOTHING`, cur.Month, cur.Version); err != nil {
			return fmt.Errorf("royalty %s: settlement: %w", cur.Month, err)
		}
	}
	_, err := s.exec(ctx, tx, `INSERT INTO royalty_ledger_versions (month, version, line, model, territory, track_id, holder_id, role, weight, amount_micros)
		SELECT month, ?, line, model, territory, track_id, holder_id, role, weight, amount_micros FROM royalty_ledger WHERE month = ?`,
		cur.Version, cur.Month)
	if err != nil {
		return fmt.Errorf("royalty %s: keep ledger version %d: %w", cur.Month, cur.Version, err)
	}
	return nil
}

func (s *Store) insertSettlement(ctx context.Context, tx *sql.Tx, month string, version int, runID string, forced bool) error {
	if _, err := s.exec(ctx, tx, "INSERT INTO royalty_settlements (month, version, run_id, forced, settled_at) VALUES (?, ?, ?, ?, ?)",
		month, version, runID, boolInt(forced), s.now()); err != nil {
		return fmt.Errorf("royalty %s: settlement version %d: %w", month, version, err)
	}
	return nil
}

// LedgerVersion returns a replaced ledger of a month by its version.
func (s *Store) LedgerVersion(ctx context.Context, month string, version int) ([]plays.LedgerRow, error) {
	return s.ledgerRows(ctx, `SELECT model, territory, track_id, holder_id, role, weight, amount_micros
		FROM royalty_ledger_versions WHERE month = ? AND version = ? ORDER BY line`, month, month, version)
}
