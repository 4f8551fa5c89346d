package serving

import (
	"context"
	"strings"
	"testing"
)

type memSettings map[string]string

func (m memSettings) ClaimSetting(_ context.Context, name, value string) (string, error) {
	if v, ok := m[name]; ok {
		return v, nil
	}
	m[name] = value
	return value, nil
}

func TestCheckStreamKey(t *testing.T) {
	ctx := context.Background()
	settings := memSettings{}
	first := []byte(strings.Repeat("a", MinStreamKeyBytes))
	other := []byte(strings.Repeat("b", MinStreamKeyBytes))
	if err := CheckStreamKey(ctx, settings, first, "--stream-key"); err != nil {
		t.Fatalf("first start: %v", err)
	}
	if err := CheckStreamKey(ctx, settings, first, "--stream-key"); err != nil {
		t.Fatalf("same key again: %v", err)
	}
	err := CheckStreamKey(ctx, settings, other, "--stream-key")
	if err == nil || !strings.Contains(err.Error(), StreamKeyFingerprint(first)) || !strings.Contains(err.Error(), StreamKeyFingerprint(other)) {
		t.Fatalf("other key: %v, want both fingerprints", err)
	}
	if strings.Contains(err.Error(), string(first)) || strings.Contains(settings[streamKeySetting], "aaaa") {
		t.Fatalf("the key itself leaked: %v", err)
	}
}
