package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/openmusic/music/serving"
)

// streamKeyFile holds the generated stream-signing key under the data dir.
const streamKeyFile = "stream.key"

// newStreamSigner builds the signer of stream URLs from --stream-key (or
// MUSIC_STREAM_KEY), else from DATA_DIR/stream.key, which is created with
// a random key on first use. Serving processes on several machines must
// be given the same key.
func newStreamSigner(cfg *Config) (*serving.StreamSigner, error) {
	keyHex, source := cfg.StreamKey, cfg.Source("stream-key")
	if keyHex == "" {
		path := cfg.DataPath(streamKeyFile)
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			k := make([]byte, serving.MinStreamKeyBytes)
			if _, err := rand.Read(k); err != nil {
				return nil, fmt.Errorf("stream key: %v", err)
			}
			b = []byte(hex.EncodeToString(k) + "\n")
			err = os.WriteFile(path, b, 0o600)
		}
		if err != nil {
			return nil, fmt.Errorf("stream key %s: %v", path, err)
		}
		keyHex, source = strings.TrimSpace(string(b)), path
	}
	key, err := hex.DecodeString(keyHex)
	if err != nil {
		return nil, fmt.Errorf("%s: stream key is not hex: %v", source, err)
	}
	sg, err := serving.NewStreamSigner(key, cfg.StreamTTL, cfg.CDNBaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s/%s/%s: %v", source, cfg.Source("stream-ttl"), cfg.Source("cdn-base-url"), err)
	}
	return sg, nil
}

// audioOptions reads --s3-delivery.
func audioOptions(cfg *Config) (serving.AudioOptions, error) {
	switch cfg.S3Delivery {
	case "proxy":
		return serving.AudioOptions{}, nil
	case "redirect":
		return serving.AudioOptions{Redirect: true, PresignTTL: 5 * time.Minute}, nil
	}
	return serving.AudioOptions{}, fmt.Errorf("%s %q: want proxy or redirect", cfg.Source("s3-delivery"), cfg.S3Delivery)
}
