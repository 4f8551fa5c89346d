package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	music "github.com/openmusic/music"
)

var _ music.PlaylistStore = (*Store)(nil)

// newID returns prefix followed by n random bytes in hex.
func (s *Store) newID(prefix string, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return prefix + hex.EncodeToString(b), nil
}

// checkText validates a user-given name or description.
func checkText(field, v string, maxLen int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return music.Errorf(music.EINVALID, "%s is required", field)
	}
	if len(v) > maxLen || strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0 {
		return music.Errorf(music.EINVALID, "%s: want at most %d bytes without control characters", field, maxLen)
	}
	return nil
}

// CreatePlaylist makes an empty playlist at version 1.
func (s *Store) CreatePlaylist(ctx context.Context, ownerID, name, description string, public bool) (*music.Playlist, error) {
	return s.createPlaylist(ctx, &music.Playlist{OwnerID: ownerID, Name: name, Description: description, Public: public}, nil)
}

// createPlaylist makes the empty playlist p describes (owner, name,
// description, public and the editorial fields) and fills in the rest;
// also, when set, runs in the same transaction after it.
func (s *Store) createPlaylist(ctx context.Context, p *music.Playlist, also func(tx *sql.Tx) error) (*music.Playlist, error) {
	if err := checkText("name", p.Name, 200, true); err != nil {
		return nil, err
	}
	if err := checkText("description", p.Description, 2000, false); err != nil {
		return nil, err
	}
	id, err := s.newID("pl_", 12)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p.ID, p.Version, p.Collaborators, p.CreatedAt, p.UpdatedAt = id, 1, []string{}, fromMS(now), fromMS(now)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO playlists (id, owner_id, name, description, public, version, track_count, created_at, updated_at,
			editorial, curator_id, cover_url) VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?)`, id, p.OwnerID, p.Name, p.Description, boolInt(p.Public),
			now, now, boolInt(p.Editorial), p.CuratorID, p.CoverURL); err != nil {
			return err
		}
		if err := s.logChange(ctx, tx, &music.PlaylistChange{PlaylistID: id, Version: 1, Kind: music.ChangeCreate,
			ActorID: p.OwnerID, At: fromMS(now), Playlist: p}); err != nil || also == nil {
			return err
		}
		return also(tx)
	})
	if isForeignKey(err) {
		return nil, music.Errorf(music.EINVALID, "create playlist: no user %q", p.OwnerID)
	}
	if err != nil {
		return nil, fmt.Errorf("create playlist: %w", err)
	}
	return p, nil
}

// Playlist returns a playlist that actorID may read.
func (s *Store) Playlist(ctx context.Context, id, actorID string) (*music.Playlist, error) {
	p, err := s.loadPlaylist(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !canRead(p, actorID) {
		return nil, music.Errorf(music.EFORBIDDEN, "playlist %s is private", id)
	}
	return p, nil
}

// loadPlaylist reads a playlist and its collaborators.
func (s *Store) loadPlaylist(ctx context.Context, q querier, id string) (*music.Playlist, error) {
	var p music.Playlist
	var public, editorial int
	var created, updated int64
	err := s.queryRow(ctx, q, `SELECT id, owner_id, name, description, public, version, track_count, created_at, updated_at,
		editorial, curator_id, cover_url FROM playlists WHERE id = ?`, id).Scan(&p.ID, &p.OwnerID, &p.Name, &p.Description, &public, &p.Version,
		&p.TrackCount, &created, &updated, &editorial, &p.CuratorID, &p.CoverURL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "no playlist %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("playlist %s: %w", id, err)
	}
	p.Public, p.Editorial, p.CreatedAt, p.UpdatedAt = public == 1, editorial == 1, fromMS(created), fromMS(updated)
	rows, err := s.query(ctx, q, "SELECT user_id FROM playlist_collaborators WHERE playlist_id = ? ORDER BY added_at, user_id", id)
	if err != nil {
		return nil, fmt.Errorf("playlist %s collaborators: %w", id, err)
	}
	defer rows.Close()
	p.Collaborators = []string{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		p.Collaborators = append(p.Collaborators, u)
	}
	return &p, rows.Err()
}

// PlaylistsOf lists the playlists userID owns or collaborates on.
func (s *Store) PlaylistsOf(ctx context.Context, userID string, offset, limit int) ([]music.Playlist, int, error) {
	return s.listPlaylists(ctx, `FROM playlists WHERE owner_id = ? OR id IN (SELECT playlist_id FROM playlist_collaborators WHERE user_id = ?)`,
		offset, limit, userID, userID)
}

// listPlaylists lists the playlists of a FROM … WHERE clause newest
// first, with their total.
func (s *Store) listPlaylists(ctx context.Context, from string, offset, limit int, args ...any) ([]music.Playlist, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) "+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list playlists: %w", err)
	}
	rows, err := s.query(ctx, s.db, "SELECT id "+from+" ORDER BY created_at DESC, id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list playlists: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return s.loadPlaylists(ctx, ids, total)
}

// loadPlaylists reads the playlists of a listing, skipping any deleted
// since it was made, and passes its total through.
func (s *Store) loadPlaylists(ctx context.Context, ids []string, total int) ([]music.Playlist, int, error) {
	out := make([]music.Playlist, 0, len(ids))
	for _, id := range ids {
		p, err := s.loadPlaylist(ctx, s.db, id)
		if music.ErrorCode(err) == music.ENOTFOUND {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *p)
	}
	return out, total, nil
}

// Entries returns a page of live entries. It reads without a
// transaction (on SQLite every transaction takes the write lock) and
// re-reads if the version moved meanwhile, so the page and the version
// agree.
func (s *Store) Entries(ctx context.Context, id, actorID string, offset, limit int) ([]music.PlaylistEntry, *music.Playlist, error) {
	for {
		p, err := s.loadPlaylist(ctx, s.db, id)
		if err != nil {
			return nil, nil, err
		}
		if !canRead(p, actorID) {
			return nil, nil, music.Errorf(music.EFORBIDDEN, "playlist %s is private", id)
		}
		out, err := s.entryPage(ctx, id, offset, limit)
		if err != nil {
			return nil, nil, fmt.Errorf("playlist %s entries: %w", id, err)
		}
		var v int64
		err = s.queryRow(ctx, s.db, "SELECT version FROM playlists WHERE id = ?", id).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, music.Errorf(music.ENOTFOUND, "no playlist %q", id)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("playlist %s: %w", id, err)
		}
		if v == p.Version {
			return out, p, nil
		}
	}
}

func (s *Store) entryPage(ctx context.Context, id string, offset, limit int) ([]music.PlaylistEntry, error) {
	rows, err := s.query(ctx, s.db, `SELECT id, track_id, added_by, added_at FROM playlist_entries
		WHERE playlist_id = ? AND removed = 0 ORDER BY slot LIMIT ? OFFSET ?`, id, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []music.PlaylistEntry{}
	for rows.Next() {
		e := music.PlaylistEntry{Position: offset + len(out)}
		var at int64
		if err := rows.Scan(&e.ID, &e.TrackID, &e.AddedBy, &at); err != nil {
			return nil, err
		}
		e.AddedAt = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Changes returns at most limit logged changes after version since.
func (s *Store) Changes(ctx context.Context, id, actorID string, since int64, limit int) ([]music.PlaylistChange, error) {
	if _, err := s.Playlist(ctx, id, actorID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > music.MaxChangesPage {
		limit = music.MaxChangesPage
	}
	rows, err := s.query(ctx, s.db, "SELECT change FROM playlist_changes WHERE playlist_id = ? AND version > ? ORDER BY version LIMIT ?", id, since, limit)
	if err != nil {
		return nil, fmt.Errorf("playlist %s changes: %w", id, err)
	}
	defer rows.Close()
	var out []music.PlaylistChange
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var c music.PlaylistChange
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, fmt.Errorf("playlist %s change: %w", id, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) logChange(ctx context.Context, tx *sql.Tx, c *music.PlaylistChange) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, tx, "INSERT INTO playlist_changes (playlist_id, version, change) VALUES (?, ?, ?)", c.PlaylistID, c.Version, string(b))
	return err
}
