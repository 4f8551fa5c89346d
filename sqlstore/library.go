package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	music "github.com/openmusic/music"
)

var _ music.LibraryStore = (*Store)(nil)

// maxLibraryBatch bounds one save or remove call.
const maxLibraryBatch = 500

func checkLibrary(kind string, ids []string) error {
	if !slices.Contains(music.LibraryKinds, kind) {
		return music.Errorf(music.EINVALID, "library kind %q: want one of %s", kind, strings.Join(music.LibraryKinds, ", "))
	}
	if len(ids) == 0 || len(ids) > maxLibraryBatch {
		return music.Errorf(music.EINVALID, "ids: want 1 to %d, got %d", maxLibraryBatch, len(ids))
	}
	for i, id := range ids {
		if id == "" || len(id) > 200 {
			return music.Errorf(music.EINVALID, "ids[%d]: want 1 to 200 bytes", i)
		}
	}
	return nil
}

// SaveItems saves ids of one kind; see music.LibraryStore.
func (s *Store) SaveItems(ctx context.Context, userID, kind string, ids []string) error {
	if err := checkLibrary(kind, ids); err != nil {
		return err
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			// Re-saving keeps the first time: ON CONFLICT is in both dialects.
			if _, err := s.exec(ctx, tx, `INSERT INTO library_items (user_id, kind, item_id, saved_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (user_id, kind, item_id) DO NOTHING`, userID, kind, id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if isForeignKey(err) {
		return music.Errorf(music.EINVALID, "save to library: no user %q", userID)
	}
	if err != nil {
		return fmt.Errorf("save to library: %w", err)
	}
	return nil
}

// RemoveItems unsaves ids; see music.LibraryStore.
func (s *Store) RemoveItems(ctx context.Context, userID, kind string, ids []string) error {
	if err := checkLibrary(kind, ids); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := s.exec(ctx, tx, "DELETE FROM library_items WHERE user_id = ? AND kind = ? AND item_id = ?", userID, kind, id); err != nil {
				return fmt.Errorf("remove from library: %w", err)
			}
		}
		return nil
	})
}

// LibraryItems lists one kind newest first; see music.LibraryStore.
func (s *Store) LibraryItems(ctx context.Context, userID, kind string, offset, limit int) ([]music.LibraryItem, int, error) {
	if !slices.Contains(music.LibraryKinds, kind) {
		return nil, 0, music.Errorf(music.EINVALID, "library kind %q: want one of %s", kind, strings.Join(music.LibraryKinds, ", "))
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM library_items WHERE user_id = ? AND kind = ?", userID, kind).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("library: %w", err)
	}
	rows, err := s.query(ctx, s.db, `SELECT item_id, saved_at FROM library_items WHERE user_id = ? AND kind = ?
		ORDER BY saved_at DESC, item_id DESC LIMIT ? OFFSET ?`, userID, kind, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("library: %w", err)
	}
	defer rows.Close()
	out := []music.LibraryItem{}
	for rows.Next() {
		it := music.LibraryItem{Kind: kind}
		var at int64
		if err := rows.Scan(&it.ID, &at); err != nil {
			return nil, 0, err
		}
		it.SavedAt = fromMS(at)
		out = append(out, it)
	}
	return out, total, rows.Err()
}
