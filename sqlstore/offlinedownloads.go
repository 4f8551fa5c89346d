package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	music "github.com/openmusic/music"
)

// checkDevice makes sure the device is the user's, inside tx.
func (s *Store) checkDevice(ctx context.Context, tx *sql.Tx, userID, deviceID string) error {
	var one int
	err := s.queryRow(ctx, tx, "SELECT 1 FROM offline_devices WHERE id = ? AND user_id = ?", deviceID, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return music.Errorf(music.ENOTFOUND, "device_id: no offline device %q", deviceID)
	}
	return err
}

// GrantOffline records grants; see music.OfflineStore.
func (s *Store) GrantOffline(ctx context.Context, userID, deviceID string, grants []music.OfflineGrant, maxTracks int) error {
	for i, g := range grants {
		if err := music.CheckOfflineKind(fmt.Sprintf("grants[%d]", i), g.Kind); err != nil {
			return err
		}
		if g.ID == "" || g.LicenceID == "" || g.Rung == "" || g.Expires.IsZero() {
			return music.Errorf(music.EINVALID, "grants[%d]: id, rung, licence and expiry are required", i)
		}
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockUserRow(ctx, tx, userID); err != nil {
			return err
		}
		if err := s.checkDevice(ctx, tx, userID, deviceID); err != nil {
			return err
		}
		for _, g := range grants {
			if _, err := s.exec(ctx, tx, `INSERT INTO offline_downloads (device_id, user_id, kind, track_id, rung, licence_id, expires_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (device_id, track_id) DO UPDATE SET kind = excluded.kind, rung = excluded.rung,
					licence_id = excluded.licence_id, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
				deviceID, userID, g.Kind, g.ID, g.Rung, g.LicenceID, ms(g.Expires), now); err != nil {
				return err
			}
		}
		var n int
		if err := s.queryRow(ctx, tx, "SELECT COUNT(*) FROM offline_downloads WHERE user_id = ?", userID).Scan(&n); err != nil {
			return err
		}
		if n > maxTracks {
			return music.Errorf(music.EUNPROCESSABLE, "offline downloads: this would make %d tracks and episodes, the limit is %d; remove some first", n, maxTracks)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("offline download: %w", err)
	}
	return nil
}

// RenewOffline swaps one item's licence; see music.OfflineStore.
func (s *Store) RenewOffline(ctx context.Context, userID, deviceID string, item music.OfflineItem, oldLicenceID, newLicenceID string, expires time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE offline_downloads SET licence_id = ?, expires_at = ?, updated_at = ?
			WHERE device_id = ? AND user_id = ? AND kind = ? AND track_id = ? AND licence_id = ?`,
			newLicenceID, ms(expires), s.now(), deviceID, userID, item.Kind, item.ID, oldLicenceID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var current string
		err = s.queryRow(ctx, tx, "SELECT licence_id FROM offline_downloads WHERE device_id = ? AND user_id = ? AND kind = ? AND track_id = ?",
			deviceID, userID, item.Kind, item.ID).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return music.Errorf(music.ENOTFOUND, "%s %s is not downloaded to device %s", item.Kind, item.ID, deviceID)
		}
		if err != nil {
			return err
		}
		return music.Errorf(music.ECONFLICT, "licence %s of %s %s was already renewed (a replayed renewal)", oldLicenceID, item.Kind, item.ID)
	})
}

// OfflineDownloads lists what a device holds; see music.OfflineStore.
func (s *Store) OfflineDownloads(ctx context.Context, userID, deviceID string) ([]music.OfflineDownload, error) {
	rows, err := s.query(ctx, s.db, `SELECT device_id, kind, track_id, rung, licence_id, expires_at, updated_at
		FROM offline_downloads WHERE device_id = ? AND user_id = ? ORDER BY track_id`, deviceID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []music.OfflineDownload
	for rows.Next() {
		var d music.OfflineDownload
		var exp, upd int64
		if err := rows.Scan(&d.DeviceID, &d.Kind, &d.ID, &d.Rung, &d.LicenceID, &exp, &upd); err != nil {
			return nil, err
		}
		d.Expires, d.UpdatedAt = fromMS(exp), fromMS(upd)
		out = append(out, d)
	}
	return out, unavailable(rows.Err())
}

// RemoveOffline forgets items; see music.OfflineStore.
func (s *Store) RemoveOffline(ctx context.Context, userID, deviceID string, items []music.OfflineItem) error {
	for i, it := range items {
		if err := music.CheckOfflineKind(fmt.Sprintf("items[%d]", i), it.Kind); err != nil {
			return err
		}
	}
	// In one order, as sortedUnique gives: two removals cannot deadlock.
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b music.OfflineItem) int { return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Kind, b.Kind)) })
	items = slices.Compact(items)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, it := range items {
			if _, err := s.exec(ctx, tx, "DELETE FROM offline_downloads WHERE device_id = ? AND user_id = ? AND kind = ? AND track_id = ?",
				deviceID, userID, it.Kind, it.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// OfflineObject returns a rendition's encrypted copy; see
// music.OfflineStore.
func (s *Store) OfflineObject(ctx context.Context, renditionKey string) (*music.OfflineObject, error) {
	var o music.OfflineObject
	var sealed string
	var created int64
	err := s.queryRow(ctx, s.db, `SELECT rendition_key, blob_key, bytes, sha256, sealed_key, created_at
		FROM offline_objects WHERE rendition_key = ?`, renditionKey).Scan(&o.RenditionKey, &o.BlobKey, &o.Bytes, &o.SHA256, &sealed, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "no encrypted copy of %s yet", renditionKey)
	}
	if err != nil {
		return nil, err
	}
	if o.SealedKey, err = decodeKey(sealed); err != nil {
		return nil, fmt.Errorf("offline object %s: %w", renditionKey, err)
	}
	o.CreatedAt = fromMS(created)
	return &o, nil
}

// PutOfflineObject keeps the first encrypted copy; see music.OfflineStore.
func (s *Store) PutOfflineObject(ctx context.Context, o music.OfflineObject) (*music.OfflineObject, error) {
	if o.RenditionKey == "" || o.BlobKey == "" || o.SHA256 == "" || len(o.SealedKey) == 0 {
		return nil, music.Errorf(music.EINVALID, "offline object: rendition key, blob key, sha256 and key are required")
	}
	if _, err := s.exec(ctx, s.db, `INSERT INTO offline_objects (rendition_key, blob_key, bytes, sha256, sealed_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (rendition_key) DO NOTHING`,
		o.RenditionKey, o.BlobKey, o.Bytes, o.SHA256, encodeKey(o.SealedKey), s.now()); err != nil {
		return nil, fmt.Errorf("offline object %s: %w", o.RenditionKey, err)
	}
	return s.OfflineObject(ctx, o.RenditionKey)
}
