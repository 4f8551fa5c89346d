package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	music "github.com/openmusic/music"
)

// OwnerOf returns who owns one release or ISRC. See music.Ownership.
func (s *Store) OwnerOf(ctx context.Context, kind, id string) (music.Owner, error) {
	return s.ownerOf(ctx, s.db, kind, id)
}

func (s *Store) ownerOf(ctx context.Context, q querier, kind, id string) (music.Owner, error) {
	exists, err := existsQuery(kind)
	if err != nil {
		return music.Owner{}, err
	}
	o := music.Owner{Kind: kind, ID: id}
	err = s.queryRow(ctx, q, "SELECT owner_id FROM owners WHERE kind = ? AND id = ?", kind, id).Scan(&o.OwnerID)
	switch {
	case err == nil:
		o.Exists = true
		return o, nil
	case err != sql.ErrNoRows:
		return o, fmt.Errorf("owner of %s %s: %w", kind, id, err)
	}
	var one int
	err = s.queryRow(ctx, q, exists, id).Scan(&one)
	switch {
	case err == nil:
		o.Exists = true
	case err != sql.ErrNoRows:
		return o, fmt.Errorf("owner of %s %s: %w", kind, id, err)
	}
	return o, nil
}

// existsQuery finds an item of kind in the catalog tables.
func existsQuery(kind string) (string, error) {
	switch kind {
	case music.OwnRelease:
		return "SELECT 1 FROM releases WHERE id = ?", nil
	case music.OwnISRC:
		return "SELECT 1 FROM tracks WHERE isrc = ?", nil
	}
	return "", music.Errorf(music.EINVALID, "ownership: kind %q is not %s or %s", kind, music.OwnRelease, music.OwnISRC)
}

// TransferOwnership gives a release (and its ISRCs) or an ISRC to a label
// account. See music.Ownership.
func (s *Store) TransferOwnership(ctx context.Context, kind, id, toUserID string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var role string
		err := s.queryRow(ctx, tx, "SELECT role FROM users WHERE id = ?", toUserID).Scan(&role)
		switch {
		case err == sql.ErrNoRows:
			return music.Errorf(music.EINVALID, "transfer %s %s: no user %q", kind, id, toUserID)
		case err != nil:
			return err
		case role != music.RoleLabel:
			return music.Errorf(music.EINVALID, "transfer %s %s: user %s is a %s account, not a label", kind, id, toUserID, role)
		}
		o, err := s.ownerOf(ctx, tx, kind, id)
		if err != nil {
			return err
		}
		if !o.Exists {
			return music.Errorf(music.ENOTFOUND, "transfer: no %s %q in the catalog", kind, id)
		}
		items := []music.Owner{o}
		if kind == music.OwnRelease {
			rows, err := s.query(ctx, tx, "SELECT isrc FROM tracks WHERE release_id = ? ORDER BY isrc", id)
			if err != nil {
				return err
			}
			for rows.Next() {
				it := music.Owner{Kind: music.OwnISRC}
				if err := rows.Scan(&it.ID); err != nil {
					rows.Close()
					return err
				}
				items = append(items, it)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, it := range items {
			if err := s.setOwner(ctx, tx, it.Kind, it.ID, toUserID); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) setOwner(ctx context.Context, tx *sql.Tx, kind, id, owner string) error {
	_, err := s.exec(ctx, tx, `INSERT INTO owners (kind, id, owner_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET owner_id = excluded.owner_id, updated_at = excluded.updated_at`,
		kind, id, owner, s.now())
	if err != nil {
		return fmt.Errorf("owner of %s %s: %w", kind, id, err)
	}
	return nil
}

// claim checks, inside a publication's transaction, that owner may write
// the release and every ISRC of p, and records owner for the new ones.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, p music.Publication) error {
	items := []music.Owner{{Kind: music.OwnRelease, ID: p.Release.ID}}
	for _, t := range p.Tracks {
		items = append(items, music.Owner{Kind: music.OwnISRC, ID: t.ISRC})
	}
	for _, it := range items {
		o, err := s.ownerOf(ctx, tx, it.Kind, it.ID)
		if err != nil {
			return err
		}
		if err := o.Allows(p.Owner); err != nil {
			return err
		}
		if o.OwnerID == "" {
			if err := s.setOwner(ctx, tx, it.Kind, it.ID, p.Owner); err != nil {
				return err
			}
		}
	}
	return nil
}
