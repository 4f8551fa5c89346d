package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/openmusic/music/playlistorder"
)

// Tombstones keep a removed entry's place so that an edit anchored on it
// still lands where it was (playlistorder). They are worth keeping only
// while a client may still hold a view with the entry live, so a playlist
// keeps at most DefaultTombstoneCap of them and none older than
// tombstoneTTL: without a bound, a collaborator who adds and removes in a
// loop grows the rows every edit reads without limit. An edit anchored
// on a compacted entry gets the usual "not in this playlist" (422).
const (
	DefaultTombstoneCap = 1000
	tombstoneTTL        = 30 * 24 * time.Hour
)

// compactTombstones drops the tombstones past their TTL and, when more
// than the cap remain, the oldest removed until half the cap is left (so
// the renumbering is paid once per cap/2 removals, not per edit); then it
// closes the gaps in the slots. order is the playlist's stored order.
func (s *Store) compactTombstones(ctx context.Context, tx *sql.Tx, id string, order []playlistorder.Slot, byID map[string]*storedEntry, now int64) error {
	limit := s.TombstoneCap
	if limit <= 0 {
		limit = DefaultTombstoneCap
	}
	expired := now - tombstoneTTL.Milliseconds()
	drop := map[string]bool{}
	var kept []*storedEntry
	for _, sl := range order {
		if !sl.Removed {
			continue
		}
		if e := byID[sl.ID]; e.removedAt < expired {
			drop[sl.ID] = true
		} else {
			kept = append(kept, e)
		}
	}
	if len(kept) > limit {
		slices.SortFunc(kept, func(a, b *storedEntry) int { return int(b.removedAt - a.removedAt) })
		for _, e := range kept[limit/2:] {
			drop[e.ID] = true
		}
	}
	if len(drop) == 0 {
		return nil
	}
	slot := 0
	for i, sl := range order {
		if drop[sl.ID] {
			if _, err := s.exec(ctx, tx, "DELETE FROM playlist_entries WHERE playlist_id = ? AND id = ?", id, sl.ID); err != nil {
				return err
			}
			continue
		}
		if slot != i {
			if _, err := s.exec(ctx, tx, "UPDATE playlist_entries SET slot = ? WHERE playlist_id = ? AND id = ?", slot, id, sl.ID); err != nil {
				return err
			}
		}
		slot++
	}
	return nil
}
