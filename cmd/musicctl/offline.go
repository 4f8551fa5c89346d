package main

import (
	"encoding/hex"
	"fmt"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
	"github.com/openmusic/music/serving"
	"github.com/spf13/pflag"
)

// OfflineSettings configure offline downloads in serve and up (#15).
type OfflineSettings struct {
	Key        string // hex secret; "" means DATA_DIR/offline.key
	MaxDevices int
	MaxTracks  int
}

// offlineKeyFile holds the generated offline secret under the data dir.
const offlineKeyFile = "offline.key"

// BindOffline declares the offline download flags.
func (c *Config) BindOffline(fs *pflag.FlagSet) {
	o := &c.Offline
	fs.StringVar(&o.Key, "offline-key", "", "hex 32-byte secret that signs offline licences and seals content keys; every serving process needs the same one (default: DATA_DIR/offline.key, created on first use)")
	bindSecretFile(fs, "offline-key")
	fs.IntVar(&o.MaxDevices, "offline-max-devices", music.DefaultOfflineMaxDevices, "offline devices per user")
	fs.IntVar(&o.MaxTracks, "offline-max-tracks", music.DefaultOfflineMaxTracks, "downloaded tracks per user, over all their devices")
}

// offlineKeyring reads --offline-key, else DATA_DIR/offline.key.
func offlineKeyring(cfg *Config) (*offlinecrypt.Keyring, error) {
	source, hexKey := cfg.Source("offline-key"), cfg.Offline.Key
	if hexKey == "" {
		source = cfg.DataPath(offlineKeyFile)
		k, err := serving.LoadStreamKey(source) // the same hex-file-or-create rule
		if err != nil {
			return nil, err
		}
		hexKey = hex.EncodeToString(k)
	}
	seed, err := hex.DecodeString(hexKey)
	if err != nil {
		return nil, fmt.Errorf("%s: offline key is not hex: %v", source, err)
	}
	keys, err := offlinecrypt.NewKeyring(seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	return keys, nil
}

// handleOffline routes offline downloads.
func handleOffline(srv *serving.Server, cfg *Config, st *stack, audio serving.AudioOptions) error {
	if cfg.Offline.MaxDevices < 1 || cfg.Offline.MaxTracks < 1 {
		return fmt.Errorf("%s and %s: want at least 1", cfg.Source("offline-max-devices"), cfg.Source("offline-max-tracks"))
	}
	keys, err := offlineKeyring(cfg)
	if err != nil {
		return err
	}
	srv.HandleOffline(serving.Offline{Users: st.Catalog, Store: st.Catalog, Catalog: st.Catalog, Playlists: st.Catalog, Podcasts: st.Catalog,
		Blobs: st.Blobs, Keys: keys, MaxDevices: cfg.Offline.MaxDevices, MaxTracks: cfg.Offline.MaxTracks, Audio: audio})
	return nil
}
