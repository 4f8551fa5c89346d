package sqlstore

import (
	"context"
	"fmt"
)

// ClaimSetting stores value under name unless a value is already there,
// and returns the stored one: the first process of a deployment sets it,
// and every later one learns what it must agree with.
func (s *Store) ClaimSetting(ctx context.Context, name, value string) (string, error) {
	if _, err := s.exec(ctx, s.db, `INSERT INTO deployment_settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", fmt.Errorf("deployment setting %s: %w", name, err)
	}
	var stored string
	if err := s.queryRow(ctx, s.db, "SELECT value FROM deployment_settings WHERE name = ?", name).Scan(&stored); err != nil {
		return "", fmt.Errorf("deployment setting %s: %w", name, err)
	}
	return stored, nil
}
