package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	music "github.com/openmusic/music"
)

var _ music.OfflineStore = (*Store)(nil)

// lockUserRow serialises a user's offline limit checks: PostgreSQL takes
// the user's row lock; SQLite transactions are already one writer.
func (s *Store) lockUserRow(ctx context.Context, tx *sql.Tx, userID string) error {
	q := "SELECT 1 FROM users WHERE id = ?"
	if s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	var one int
	err := s.queryRow(ctx, tx, q, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return music.Errorf(music.ENOTFOUND, "no user %q", userID)
	}
	return err
}

// EnrolOfflineDevice adds a device; see music.OfflineStore.
func (s *Store) EnrolOfflineDevice(ctx context.Context, userID, name string, publicKey []byte, maxDevices int) (*music.OfflineDevice, error) {
	if err := checkText("name", name, music.MaxOfflineDeviceName, true); err != nil {
		return nil, err
	}
	if len(publicKey) != 32 {
		return nil, music.Errorf(music.EINVALID, "public_key: want 32 bytes, got %d", len(publicKey))
	}
	id, err := s.newID("od_", 12)
	if err != nil {
		return nil, err
	}
	d := &music.OfflineDevice{ID: id, UserID: userID, Name: name, PublicKey: publicKey, CreatedAt: fromMS(s.now())}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockUserRow(ctx, tx, userID); err != nil {
			return err
		}
		var n int
		if err := s.queryRow(ctx, tx, "SELECT COUNT(*) FROM offline_devices WHERE user_id = ?", userID).Scan(&n); err != nil {
			return err
		}
		if n >= maxDevices {
			return music.Errorf(music.EUNPROCESSABLE, "offline devices: you have %d, the limit is %d; remove one first", n, maxDevices)
		}
		_, err := s.exec(ctx, tx, "INSERT INTO offline_devices (id, user_id, name, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
			id, userID, name, encodeKey(publicKey), ms(d.CreatedAt))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enrol offline device: %w", err)
	}
	return d, nil
}

func scanOfflineDevice(r interface{ Scan(...any) error }) (*music.OfflineDevice, error) {
	var d music.OfflineDevice
	var key string
	var created int64
	if err := r.Scan(&d.ID, &d.UserID, &d.Name, &key, &created); err != nil {
		return nil, err
	}
	pub, err := decodeKey(key)
	if err != nil {
		return nil, fmt.Errorf("offline device %s: stored key: %w", d.ID, err)
	}
	d.PublicKey, d.CreatedAt = pub, fromMS(created)
	return &d, nil
}

const offlineDeviceColumns = "id, user_id, name, public_key, created_at"

// OfflineDevice returns one of the user's devices; see music.OfflineStore.
func (s *Store) OfflineDevice(ctx context.Context, userID, deviceID string) (*music.OfflineDevice, error) {
	d, err := scanOfflineDevice(s.queryRow(ctx, s.db, "SELECT "+offlineDeviceColumns+" FROM offline_devices WHERE id = ? AND user_id = ?", deviceID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "device_id: no offline device %q", deviceID)
	}
	return d, err
}

// OfflineDevices lists the user's devices; see music.OfflineStore.
func (s *Store) OfflineDevices(ctx context.Context, userID string) ([]music.OfflineDevice, error) {
	rows, err := s.query(ctx, s.db, "SELECT "+offlineDeviceColumns+" FROM offline_devices WHERE user_id = ? ORDER BY created_at, id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []music.OfflineDevice
	for rows.Next() {
		d, err := scanOfflineDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, unavailable(rows.Err())
}

// RevokeOfflineDevice removes a device and its downloads; see
// music.OfflineStore.
func (s *Store) RevokeOfflineDevice(ctx context.Context, userID, deviceID string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "DELETE FROM offline_downloads WHERE device_id = ? AND user_id = ?", deviceID, userID); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM offline_devices WHERE id = ? AND user_id = ?", deviceID, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = music.Errorf(music.ENOTFOUND, "no offline device %q", deviceID)
			}
			return err
		}
		return nil
	})
}

// Keys are stored as standard base64 text, which both engines keep alike.
func encodeKey(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func decodeKey(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
