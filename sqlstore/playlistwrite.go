package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/playlistorder"
)

// Who may make a playlist write.
const (
	editors = false // owner and collaborators
	owner   = true  // owner only
)

// playlistWrite runs one playlist write in a transaction. It first bumps
// the version with an UPDATE, which takes the row lock on PostgreSQL (and
// SQLite transactions are IMMEDIATE), so concurrent writes to a playlist
// queue there and each sees the one before it. Then it checks rights and
// If-Match against the version before the bump, calls fn with the
// playlist at its new version, and logs fn's change.
func (s *Store) playlistWrite(ctx context.Context, id, actorID string, ifVersion int64, ownerOnly bool,
	fn func(tx *sql.Tx, p *music.Playlist, now int64) (*music.PlaylistChange, error)) (*music.PlaylistChange, error) {
	var change *music.PlaylistChange
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		change, err = s.playlistWriteTx(ctx, tx, id, actorID, ifVersion, ownerOnly, fn)
		return err
	})
	if err != nil {
		if music.ErrorCode(err) == music.EINTERNAL {
			return nil, fmt.Errorf("playlist %s: %w", id, err)
		}
		return nil, err
	}
	return change, nil
}

// playlistWriteTx is playlistWrite inside the caller's transaction.
func (s *Store) playlistWriteTx(ctx context.Context, tx *sql.Tx, id, actorID string, ifVersion int64, ownerOnly bool,
	fn func(tx *sql.Tx, p *music.Playlist, now int64) (*music.PlaylistChange, error)) (*music.PlaylistChange, error) {
	now := s.now()
	res, err := s.exec(ctx, tx, "UPDATE playlists SET version = version + 1, updated_at = ? WHERE id = ?", now, id)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, music.Errorf(music.ENOTFOUND, "no playlist %q", id)
	}
	p, err := s.loadPlaylist(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case !canRead(p, actorID):
		return nil, music.Errorf(music.EFORBIDDEN, "playlist %s is private", id)
	case ownerOnly && p.OwnerID != actorID:
		return nil, music.Errorf(music.EFORBIDDEN, "only the owner of playlist %s may do this", id)
	case !canEdit(p, actorID):
		return nil, music.Errorf(music.EFORBIDDEN, "only the owner and collaborators may edit playlist %s", id)
	}
	if before := p.Version - 1; ifVersion != 0 && ifVersion != before {
		return nil, &music.StaleVersionError{PlaylistID: id, Want: ifVersion, Current: before}
	}
	c, err := fn(tx, p, now)
	if err != nil {
		return nil, err
	}
	c.PlaylistID, c.Version, c.ActorID, c.At = id, p.Version, actorID, fromMS(now)
	if c.Kind == music.ChangeDelete {
		return c, nil // the log went with the playlist
	}
	return c, s.logChange(ctx, tx, c)
}

// UpdatePlaylist renames, re-describes or re-scopes a playlist (owner).
func (s *Store) UpdatePlaylist(ctx context.Context, id, actorID string, ifVersion int64, u music.PlaylistUpdate) (*music.PlaylistChange, error) {
	if u.Name != nil {
		if err := checkText("name", *u.Name, 200, true); err != nil {
			return nil, err
		}
	}
	if u.Description != nil {
		if err := checkText("description", *u.Description, 2000, false); err != nil {
			return nil, err
		}
	}
	if u.CoverURL != nil {
		if err := checkCoverURL(*u.CoverURL); err != nil {
			return nil, err
		}
	}
	return s.playlistWrite(ctx, id, actorID, ifVersion, owner, func(tx *sql.Tx, p *music.Playlist, _ int64) (*music.PlaylistChange, error) {
		if u.Name != nil {
			p.Name = *u.Name
		}
		if u.Description != nil {
			p.Description = *u.Description
		}
		if u.Public != nil {
			p.Public = *u.Public
		}
		if u.CoverURL != nil {
			p.CoverURL = *u.CoverURL
		}
		_, err := s.exec(ctx, tx, "UPDATE playlists SET name = ?, description = ?, public = ?, cover_url = ? WHERE id = ?",
			p.Name, p.Description, boolInt(p.Public), p.CoverURL, id)
		return &music.PlaylistChange{Kind: music.ChangeUpdate, Playlist: p}, err
	})
}

// DeletePlaylist removes a playlist with its entries and log (owner).
func (s *Store) DeletePlaylist(ctx context.Context, id, actorID string, ifVersion int64) (*music.PlaylistChange, error) {
	return s.playlistWrite(ctx, id, actorID, ifVersion, owner, func(tx *sql.Tx, _ *music.Playlist, _ int64) (*music.PlaylistChange, error) {
		// Children first, explicitly: the result does not hang on every
		// database having applied ON DELETE CASCADE.
		for _, q := range []string{
			"DELETE FROM playlist_changes WHERE playlist_id = ?",
			"DELETE FROM playlist_entries WHERE playlist_id = ?",
			"DELETE FROM playlist_collaborators WHERE playlist_id = ?",
			"DELETE FROM follows WHERE kind = '" + music.FollowPlaylist + "' AND target_id = ?",
			"DELETE FROM follower_counts WHERE kind = '" + music.FollowPlaylist + "' AND target_id = ?",
			"DELETE FROM playlists WHERE id = ?",
		} {
			if _, err := s.exec(ctx, tx, q, id); err != nil {
				return nil, err
			}
		}
		return &music.PlaylistChange{Kind: music.ChangeDelete}, nil
	})
}

// SetCollaborator adds or removes a collaborator (owner).
func (s *Store) SetCollaborator(ctx context.Context, id, actorID string, ifVersion int64, userID string, add bool) (*music.PlaylistChange, error) {
	return s.playlistWrite(ctx, id, actorID, ifVersion, owner, func(tx *sql.Tx, p *music.Playlist, now int64) (*music.PlaylistChange, error) {
		if userID == p.OwnerID {
			return nil, music.Errorf(music.EUNPROCESSABLE, "the owner of playlist %s cannot be a collaborator", id)
		}
		if add {
			var n int
			if err := s.queryRow(ctx, tx, "SELECT COUNT(*) FROM users WHERE id = ?", userID).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, music.Errorf(music.EUNPROCESSABLE, "no user %q", userID)
			}
			if !canEdit(p, userID) {
				if _, err := s.exec(ctx, tx, "INSERT INTO playlist_collaborators (playlist_id, user_id, added_at) VALUES (?, ?, ?)", id, userID, now); err != nil {
					return nil, err
				}
				p.Collaborators = append(p.Collaborators, userID)
			}
		} else {
			if _, err := s.exec(ctx, tx, "DELETE FROM playlist_collaborators WHERE playlist_id = ? AND user_id = ?", id, userID); err != nil {
				return nil, err
			}
			kept := []string{}
			for _, c := range p.Collaborators {
				if c != userID {
					kept = append(kept, c)
				}
			}
			p.Collaborators = kept
		}
		return &music.PlaylistChange{Kind: music.ChangeCollaborator, Playlist: p}, nil
	})
}

// storedEntry is a row of playlist_entries as an edit needs it.
type storedEntry struct {
	music.PlaylistEntry
	slot      int
	removed   bool
	removedAt int64 // unix ms; 0 when live or removed before it was kept
}

// EditPlaylist adds, removes or moves entries (owner and collaborators).
// The edit's meaning is playlistorder.Apply's.
func (s *Store) EditPlaylist(ctx context.Context, id, actorID string, ifVersion int64, e music.PlaylistEdit) (*music.PlaylistChange, error) {
	fn, err := s.editFn(ctx, id, actorID, e)
	if err != nil {
		return nil, err
	}
	return s.playlistWrite(ctx, id, actorID, ifVersion, editors, fn)
}

// editFn checks an edit and returns the write that applies it, for
// playlistWrite or playlistWriteTx.
func (s *Store) editFn(ctx context.Context, id, actorID string, e music.PlaylistEdit) (func(tx *sql.Tx, p *music.Playlist, now int64) (*music.PlaylistChange, error), error) {
	if len(e.TrackIDs) > music.MaxPlaylistEntries || len(e.EntryIDs) > music.MaxPlaylistEntries {
		return nil, music.Errorf(music.EUNPROCESSABLE, "one edit may name at most %d items", music.MaxPlaylistEntries)
	}
	newIDs := make([]string, len(e.TrackIDs))
	for i := range newIDs {
		var err error
		if newIDs[i], err = s.newID("ent_", 8); err != nil {
			return nil, err
		}
	}
	return func(tx *sql.Tx, p *music.Playlist, now int64) (*music.PlaylistChange, error) {
		rows, err := s.loadEntries(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		order := make([]playlistorder.Slot, len(rows))
		byID := make(map[string]*storedEntry, len(rows))
		for i := range rows {
			order[i] = playlistorder.Slot{ID: rows[i].ID, Removed: rows[i].removed}
			byID[rows[i].ID] = &rows[i]
		}
		res, err := playlistorder.Apply(order, e, newIDs)
		var gone *music.RemovedEntryError
		if errors.As(err, &gone) {
			// The version is the one before this write's bump, which the
			// refusal rolls back.
			gone.PlaylistID, gone.Current = id, p.Version-1
		}
		if err != nil {
			return nil, err
		}
		liveCount := 0
		for _, sl := range res.Order {
			if !sl.Removed {
				liveCount++
			}
		}
		if liveCount > music.MaxPlaylistEntries {
			return nil, music.Errorf(music.EUNPROCESSABLE, "playlist %s would have %d entries; the limit is %d", id, liveCount, music.MaxPlaylistEntries)
		}
		for i, tid := range e.TrackIDs {
			byID[newIDs[i]] = &storedEntry{PlaylistEntry: music.PlaylistEntry{ID: newIDs[i], TrackID: tid, AddedBy: actorID, AddedAt: fromMS(now)}, slot: -1}
		}
		if err := s.writeOrder(ctx, tx, id, res, byID, e.Kind == music.EditAdd, now); err != nil {
			return nil, err
		}
		if err := s.compactTombstones(ctx, tx, id, res.Order, byID, now); err != nil {
			return nil, err
		}
		if _, err := s.exec(ctx, tx, "UPDATE playlists SET track_count = ? WHERE id = ?", liveCount, id); err != nil {
			return nil, err
		}
		c := &music.PlaylistChange{Kind: e.Kind, After: res.After, Removed: res.Removed}
		if len(res.Placed) > 0 {
			first := livePosition(res.Order, res.Placed[0])
			for i, pid := range res.Placed {
				en := byID[pid].PlaylistEntry
				en.Position = first + i
				c.Entries = append(c.Entries, en)
			}
		}
		return c, nil
	}, nil
}

// loadEntries reads every row of a playlist, tombstones included, in slot order.
func (s *Store) loadEntries(ctx context.Context, tx *sql.Tx, id string) ([]storedEntry, error) {
	rows, err := s.query(ctx, tx, "SELECT id, track_id, added_by, added_at, slot, removed, removed_at FROM playlist_entries WHERE playlist_id = ? ORDER BY slot", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedEntry
	for rows.Next() {
		var e storedEntry
		var at int64
		var removed int
		if err := rows.Scan(&e.ID, &e.TrackID, &e.AddedBy, &at, &e.slot, &removed, &e.removedAt); err != nil {
			return nil, err
		}
		e.AddedAt, e.removed = fromMS(at), removed == 1
		out = append(out, e)
	}
	return out, rows.Err()
}

// writeOrder stores an edit's new order: new rows are inserted, rows whose
// slot or removed flag changed are updated. An add shifts the tail with
// one statement instead of one per row.
func (s *Store) writeOrder(ctx context.Context, tx *sql.Tx, id string, res playlistorder.Result, byID map[string]*storedEntry, isAdd bool, now int64) error {
	if isAdd && len(res.Placed) > 0 {
		at := -1
		for i, sl := range res.Order {
			if sl.ID == res.Placed[0] {
				at = i
				break
			}
		}
		if _, err := s.exec(ctx, tx, "UPDATE playlist_entries SET slot = slot + ? WHERE playlist_id = ? AND slot >= ?", len(res.Placed), id, at); err != nil {
			return err
		}
		for i, pid := range res.Placed {
			e := byID[pid]
			if _, err := s.exec(ctx, tx, "INSERT INTO playlist_entries (playlist_id, id, slot, track_id, added_by, added_at, removed) VALUES (?, ?, ?, ?, ?, ?, 0)",
				id, pid, at+i, e.TrackID, e.AddedBy, ms(e.AddedAt)); err != nil {
				return err
			}
		}
		return nil
	}
	for i, sl := range res.Order {
		e := byID[sl.ID]
		if e.slot == i && e.removed == sl.Removed {
			continue
		}
		if sl.Removed && !e.removed {
			e.removedAt = now
		}
		e.slot, e.removed = i, sl.Removed
		if _, err := s.exec(ctx, tx, "UPDATE playlist_entries SET slot = ?, removed = ?, removed_at = ? WHERE playlist_id = ? AND id = ?",
			i, boolInt(sl.Removed), e.removedAt, id, sl.ID); err != nil {
			return err
		}
	}
	return nil
}

// livePosition is the index of entry id among the live entries of order.
func livePosition(order []playlistorder.Slot, id string) int {
	n := 0
	for _, sl := range order {
		if sl.ID == id {
			return n
		}
		if !sl.Removed {
			n++
		}
	}
	return n
}
