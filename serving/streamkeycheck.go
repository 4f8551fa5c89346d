package serving

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// streamKeySetting names the stream key's fingerprint among the
// deployment's shared settings.
const streamKeySetting = "stream_key_fingerprint"

// StreamKeyFingerprint identifies a stream key without revealing it: the
// HMAC of a fixed label under the key, cut to 16 hex digits.
func StreamKeyFingerprint(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("musicctl stream-key fingerprint"))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// SettingClaimer keeps settings every process of a deployment shares; the
// first value stored under a name wins (sqlstore.Store in the catalog DB).
type SettingClaimer interface {
	ClaimSetting(ctx context.Context, name, value string) (stored string, err error)
}

// CheckStreamKey records the key's fingerprint on first start, and refuses
// a key whose fingerprint differs from the recorded one: a serving process
// with another key would sign URLs that the others reject, a silent split
// a client only sees as random 403s. source names where the key came from.
func CheckStreamKey(ctx context.Context, settings SettingClaimer, key []byte, source string) error {
	mine := StreamKeyFingerprint(key)
	stored, err := settings.ClaimSetting(ctx, streamKeySetting, mine)
	if err != nil {
		return fmt.Errorf("%s: checking the stream key against the catalog DB: %v", source, err)
	}
	if stored != mine {
		return fmt.Errorf("%s: this stream key (fingerprint %s) is not the one the deployment's other processes use (fingerprint %s, recorded in the catalog DB); give every up and serve process the same key (--stream-key-file or MUSIC_STREAM_KEY_FILE), or, to rotate it on purpose, stop them all and delete the %s row from deployment_settings",
			source, mine, stored, streamKeySetting)
	}
	return nil
}
