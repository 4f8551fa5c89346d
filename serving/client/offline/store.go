package offline

import (
	"cmp"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/durable"
	"github.com/openmusic/music/offlinecrypt"
)

// Device is who this store is to the server.
type Device struct {
	Server     string `json:"server"`
	DeviceID   string `json:"device_id"`
	PrivateKey []byte `json:"private_key"`
	LicenceKey []byte `json:"licence_key"`
}

// Held is one downloaded track or podcast episode.
type Held struct {
	// Kind is music.OfflineTrack or music.OfflineEpisode; "" is a track
	// (stores written before episodes).
	Kind string `json:"kind,omitempty"`
	// ID is the track's or episode's ID. Its JSON name is from before
	// episodes, so those stores still open.
	ID           string    `json:"track_id"`
	Title        string    `json:"title"`
	Artist       string    `json:"artist"`
	Rung         string    `json:"rung"`
	ObjectKey    string    `json:"object_key"`
	SHA256       string    `json:"sha256"`
	Bytes        int64     `json:"bytes"`
	WrappedKey   []byte    `json:"wrapped_key"`
	Licence      string    `json:"licence"`
	Expires      time.Time `json:"expires_at"`
	TrackGainDB  float64   `json:"track_gain_db"`
	TrackPeak    float64   `json:"track_peak"`
	DownloadedAt time.Time `json:"downloaded_at"`
	LastPlayedAt time.Time `json:"last_played_at"`
}

// Item is what h holds.
func (h *Held) Item() music.OfflineItem { return itemOf(h.Kind, h.ID) }

func itemOf(kind, id string) music.OfflineItem {
	return music.OfflineItem{Kind: cmp.Or(kind, music.OfflineTrack), ID: id}
}

// Play is one play made offline, waiting for upload.
type Play struct {
	EventID string `json:"event_id"`
	Kind    string `json:"kind,omitempty"` // as Held's
	// ID is the track or episode played (JSON name as Held's).
	ID         string    `json:"track_id"`
	PlayedAt   time.Time `json:"played_at"`
	DurationMS int64     `json:"duration_ms"`
	Completed  bool      `json:"completed"`
	Rung       string    `json:"rung"`
}

// index is what the store holds. Items are keyed by ID: track IDs (trk-…)
// and episode IDs (ep_…) never collide. The JSON name is from before
// episodes.
type index struct {
	PlaylistID      string `json:"playlist_id,omitempty"`
	PlaylistVersion int64  `json:"playlist_version,omitempty"`
	Quality         string `json:"quality,omitempty"`
	// PlaylistEntries are the playlist's live entries at PlaylistVersion
	// (entry ID → track ID): a change log names removed entries, not
	// tracks. nil, as in a store from before changes were read, makes
	// the next sync read the whole playlist.
	PlaylistEntries map[string]string `json:"playlist_entries"`
	Items           map[string]*Held  `json:"tracks"`
}

// itemDirs are the directories of held files, by kind.
var itemDirs = map[string]string{music.OfflineTrack: "tracks", music.OfflineEpisode: "episodes"}

// Store is the local offline store in one directory.
type Store struct {
	dir string
	mu  sync.Mutex
	dev *Device
	idx index
	// Now is the device clock; tests move it.
	Now func() time.Time
}

// OpenStore opens (creating) the store in dir.
func OpenStore(dir string) (*Store, error) {
	for _, sub := range itemDirs {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, err
		}
	}
	s := &Store{dir: dir, idx: index{Items: map[string]*Held{}}, Now: time.Now}
	var dev Device
	switch err := readJSON(filepath.Join(dir, "device.json"), &dev); {
	case err == nil:
		s.dev = &dev
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if err := readJSON(filepath.Join(dir, "index.json"), &s.idx); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if s.idx.Items == nil {
		s.idx.Items = map[string]*Held{}
	}
	return s, s.sweep()
}

// sweep removes what a killed sync left: partial downloads and files no
// index entry of their kind names.
func (s *Store) sweep() error {
	for kind, sub := range itemDirs {
		entries, err := os.ReadDir(filepath.Join(s.dir, sub))
		if err != nil {
			return err
		}
		for _, e := range entries {
			id, ok := strings.CutSuffix(e.Name(), ".mofl")
			if h := s.idx.Items[id]; !ok || h == nil || h.Item().Kind != kind {
				if err := os.Remove(filepath.Join(s.dir, sub, e.Name())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Device returns the enrolled device, or nil.
func (s *Store) Device() *Device { return s.dev }

// Held lists the held tracks and episodes.
func (s *Store) Held() []Held {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Held, 0, len(s.idx.Items))
	for _, h := range s.idx.Items {
		out = append(out, *h)
	}
	return out
}

// path is where a held item's encrypted file is.
func (s *Store) path(it music.OfflineItem) string {
	return filepath.Join(s.dir, itemDirs[it.Kind], it.ID+".mofl")
}

func (s *Store) setDevice(d *Device) error {
	if err := writeJSON(filepath.Join(s.dir, "device.json"), d); err != nil {
		return err
	}
	s.dev = d
	return nil
}

// saveIndex writes the index; call with s.mu held.
func (s *Store) saveIndex() error { return writeJSON(filepath.Join(s.dir, "index.json"), &s.idx) }

// remove deletes a held item: the index entry first, so a crash between
// leaves only an unnamed file, which the next open sweeps.
func (s *Store) remove(it music.OfflineItem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.idx.Items[it.ID]; h == nil || h.Item() != it {
		return nil
	}
	delete(s.idx.Items, it.ID)
	if err := s.saveIndex(); err != nil {
		return err
	}
	return os.Remove(s.path(it))
}

// licence checks a held item's licence offline.
func (s *Store) licence(h *Held, now time.Time) error {
	l, err := offlinecrypt.ParseLicence(ed25519.PublicKey(s.dev.LicenceKey), h.Licence)
	if err != nil {
		return fmt.Errorf("%s %s: %w", h.Item().Kind, h.ID, err)
	}
	return l.Allows(l.UserID, s.dev.DeviceID, h.Item(), now)
}

// readJSON and writeJSON keep small state files; writeJSON replaces the
// file atomically and durably.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return music.Errorf(music.EINVALID, "offline store %s: %v", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(f *os.File) error { _, err := f.Write(b); return err })
}

func writeFileAtomic(path string, fill func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return durable.SyncDir(filepath.Dir(path))
}
