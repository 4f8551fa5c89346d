package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/openmusic/music/serving"
)

// streamKeyFile holds the generated stream-signing key under the data dir.
const streamKeyFile = "stream.key"

// newStreamSigner builds the signer of stream URLs from --stream-key (or
// MUSIC_STREAM_KEY, --stream-key-file), else from DATA_DIR/stream.key,
// which is created atomically with a random key on first use. Serving processes on several machines must
// be given the same key.
//
// The key's fingerprint is recorded in the catalog DB by the first process
// and checked by every later one, so a process given another key refuses
// to start.
func newStreamSigner(ctx context.Context, cfg *Config, settings serving.SettingClaimer) (*serving.StreamSigner, error) {
	var key []byte
	source := cfg.Source("stream-key")
	if cfg.StreamKey == "" {
		source = cfg.DataPath(streamKeyFile)
		k, err := serving.LoadStreamKey(source)
		if err != nil {
			return nil, err
		}
		key = k
	} else {
		k, err := hex.DecodeString(cfg.StreamKey)
		if err != nil {
			return nil, fmt.Errorf("%s: stream key is not hex: %v", source, err)
		}
		key = k
	}
	if err := serving.CheckStreamKey(ctx, settings, key, source); err != nil {
		return nil, err
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
