package offline

import (
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

// Held is one downloaded track.
type Held struct {
	TrackID      string    `json:"track_id"`
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

// Play is one play made offline, waiting for upload.
type Play struct {
	EventID    string    `json:"event_id"`
	TrackID    string    `json:"track_id"`
	PlayedAt   time.Time `json:"played_at"`
	DurationMS int64     `json:"duration_ms"`
	Completed  bool      `json:"completed"`
	Rung       string    `json:"rung"`
}

type index struct {
	PlaylistID      string           `json:"playlist_id,omitempty"`
	PlaylistVersion int64            `json:"playlist_version,omitempty"`
	Quality         string           `json:"quality,omitempty"`
	Tracks          map[string]*Held `json:"tracks"`
}

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
	if err := os.MkdirAll(filepath.Join(dir, "tracks"), 0o700); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, idx: index{Tracks: map[string]*Held{}}, Now: time.Now}
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
	if s.idx.Tracks == nil {
		s.idx.Tracks = map[string]*Held{}
	}
	return s, s.sweep()
}

// sweep removes what a killed sync left: partial downloads and files no
// index entry names.
func (s *Store) sweep() error {
	entries, err := os.ReadDir(filepath.Join(s.dir, "tracks"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".mofl")
		if !ok || s.idx.Tracks[id] == nil {
			if err := os.Remove(filepath.Join(s.dir, "tracks", e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Device returns the enrolled device, or nil.
func (s *Store) Device() *Device { return s.dev }

// Held lists the held tracks.
func (s *Store) Held() []Held {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Held, 0, len(s.idx.Tracks))
	for _, h := range s.idx.Tracks {
		out = append(out, *h)
	}
	return out
}

func (s *Store) trackPath(id string) string { return filepath.Join(s.dir, "tracks", id+".mofl") }

func (s *Store) setDevice(d *Device) error {
	if err := writeJSON(filepath.Join(s.dir, "device.json"), d); err != nil {
		return err
	}
	s.dev = d
	return nil
}

// saveIndex writes the index; call with s.mu held.
func (s *Store) saveIndex() error { return writeJSON(filepath.Join(s.dir, "index.json"), &s.idx) }

// remove deletes a held track: the index entry first, so a crash between
// leaves only an unnamed file, which the next open sweeps.
func (s *Store) remove(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx.Tracks[id] == nil {
		return nil
	}
	delete(s.idx.Tracks, id)
	if err := s.saveIndex(); err != nil {
		return err
	}
	return os.Remove(s.trackPath(id))
}

// licence checks a held track's licence offline.
func (s *Store) licence(h *Held, now time.Time) error {
	l, err := offlinecrypt.ParseLicence(ed25519.PublicKey(s.dev.LicenceKey), h.Licence)
	if err != nil {
		return fmt.Errorf("track %s: %w", h.TrackID, err)
	}
	return l.Allows(l.UserID, s.dev.DeviceID, h.TrackID, now)
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
