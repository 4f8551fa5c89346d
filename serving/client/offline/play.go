package offline

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
	"github.com/openmusic/music/serving/client"
)

// Track is an opened held track or episode: the decrypted rendition (Ogg
// Vorbis), read chunk by chunk from the encrypted file as it is needed.
type Track struct {
	*offlinecrypt.Reader
	Held Held
	file *os.File
}

// Close closes the encrypted file.
func (t *Track) Close() error { return t.file.Close() }

// Open opens a held track or episode (by its ID) for playing, with no
// network: the licence must verify and be current, and the key must
// unwrap with this device's key.
func (s *Store) Open(id string) (*Track, error) {
	s.mu.Lock()
	h := s.idx.Items[id]
	s.mu.Unlock()
	if h == nil {
		return nil, music.Errorf(music.ENOTFOUND, "%s is not in the offline store", id)
	}
	what := h.Item().Kind + " " + id
	if s.dev == nil {
		return nil, music.Errorf(music.EINVALID, "the offline store has no enrolled device")
	}
	if err := s.licence(h, s.Now()); err != nil {
		return nil, err
	}
	dk, err := offlinecrypt.ParseDeviceKey(s.dev.PrivateKey)
	if err != nil {
		return nil, err
	}
	key, err := dk.Unwrap(h.WrappedKey, h.ObjectKey)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	f, err := os.Open(s.path(h.Item()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := offlinecrypt.NewReader(f, info.Size(), key)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &Track{Reader: r, Held: *h, file: f}, nil
}

// Decoded is a held track's PCM with ReplayGain applied.
type Decoded struct {
	Rate, Channels int
	PCM            []float32 // interleaved
	GainDB         float64   // the gain applied (peak-limited)
}

// Decode plays a held track to PCM through the same client.Player that
// streams, with the store as its only source (no network), applies its
// ReplayGain track gain (lowered so the peak stays at or under full
// scale), and queues the play for upload at the next sync: started when
// Decode started, listened for as long as it took (a device playing in
// real time listens the whole track; the command line decodes faster and
// says so).
func (s *Store) Decode(trackID string) (out *Decoded, err error) {
	// The Vorbis decoder panics on some malformed streams; a bad track
	// must fail alone, not take the player down.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, music.Errorf(music.EINVALID, "track %s: undecodable audio (%v)", trackID, p)
		}
	}()
	start := s.Now()
	s.mu.Lock()
	h := s.idx.Items[trackID]
	s.mu.Unlock()
	if h == nil {
		return nil, music.Errorf(music.ENOTFOUND, "%s is not in the offline store", trackID)
	}
	held := *h
	p, err := client.OpenHeld(s, trackID, held.Rung)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	out = &Decoded{GainDB: safeGain(held.TrackGainDB, held.TrackPeak)}
	out.Rate, out.Channels = p.Format()
	p.SetGain(out.GainDB)
	buf := make([]float32, 8192)
	for {
		n, err := p.Read(buf)
		out.PCM = append(out.PCM, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("track %s: %w", trackID, err)
		}
	}
	audioMS := int64(len(out.PCM)/max(out.Channels, 1)) * 1000 / int64(max(out.Rate, 1))
	listened := min(s.Now().Sub(start).Milliseconds(), audioMS)
	return out, s.RecordPlay(Play{Kind: held.Kind, ID: trackID, PlayedAt: start, DurationMS: listened, Completed: listened == audioMS, Rung: held.Rung})
}

// safeGain is the gain in dB that ReplayGain asks for, lowered so the
// track's peak is not pushed past full scale.
func safeGain(gainDB, peak float64) float64 {
	if peak > 0 {
		if limit := -20 * math.Log10(peak); gainDB > limit {
			return limit
		}
	}
	return gainDB
}

// RecordPlay queues a play for upload and marks the track played.
func (s *Store) RecordPlay(p Play) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.EventID == "" {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		p.EventID = "off_" + hex.EncodeToString(b)
	}
	var queue []Play
	if err := readJSON(s.playsPath(), &queue); err != nil && !os.IsNotExist(err) {
		return err
	}
	queue = append(queue, p)
	if err := writeJSON(s.playsPath(), queue); err != nil {
		return err
	}
	if h := s.idx.Items[p.ID]; h != nil && p.PlayedAt.After(h.LastPlayedAt) {
		h.LastPlayedAt = p.PlayedAt
		return s.saveIndex()
	}
	return nil
}

func (s *Store) playsPath() string { return filepath.Join(s.dir, "plays.json") }

// PruneAfter is how long a track may go unplayed before prune removes it.
const PruneAfter = 30 * 24 * time.Hour

// Prune removes tracks and episodes whose licence lapsed or that were not
// played (or, never played, not downloaded) in PruneAfter. It returns
// their IDs.
func (s *Store) Prune() ([]string, error) {
	now := s.Now()
	var gone []string
	for _, h := range s.Held() {
		last := h.LastPlayedAt
		if last.IsZero() {
			last = h.DownloadedAt
		}
		if !now.Before(h.Expires) || now.Sub(last) >= PruneAfter {
			if err := s.remove(h.Item()); err != nil {
				return gone, err
			}
			gone = append(gone, h.ID)
		}
	}
	return gone, nil
}

// Rendition gives the Player the decrypted bytes of a held track's rung
// (client.Fallback): when the network fails mid-track, and for every
// offline play. The licence is checked as for any offline play; the
// Player's Close closes the file.
func (s *Store) Rendition(trackID, rung string) (io.ReaderAt, int64, error) {
	t, err := s.Open(trackID)
	if err != nil {
		return nil, 0, err
	}
	if t.Held.Rung != rung {
		t.Close()
		return nil, 0, music.Errorf(music.ENOTFOUND, "track %s is held at rung %s, not %s", trackID, t.Held.Rung, rung)
	}
	return t, t.Size(), nil
}
