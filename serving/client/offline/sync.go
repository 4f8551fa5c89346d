package offline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
)

// Enrol makes this store's device key and enrols it with the server.
func (s *Store) Enrol(ctx context.Context, api *API, name string) error {
	if s.dev != nil {
		return nil
	}
	dk, err := offlinecrypt.NewDeviceKey()
	if err != nil {
		return err
	}
	var d deviceJSON
	if err := api.call(ctx, "POST", "/api/v1/me/offline/devices", map[string]string{"name": name, "public_key": offlinecrypt.EncodeKey(dk.Public())}, &d); err != nil {
		return err
	}
	lk, err := offlinecrypt.DecodeKey(d.LicenceKey)
	if err != nil {
		return err
	}
	return s.setDevice(&Device{Server: api.Base, DeviceID: d.DeviceID, PrivateKey: dk.Bytes(), LicenceKey: lk})
}

// Report says what one sync did.
type Report struct {
	Uploaded   int           // offline plays the server accepted (a duplicate it already held included)
	Refused    []RefusedPlay // offline plays the server will never accept, dropped from the queue
	Renewed    int           // licences renewed
	Downloaded []string      // tracks added
	Deleted    []string      // tracks removed: gone from the playlist, taken down, lapsed
}

// SyncPlaylist brings the store in step with a playlist: it uploads the
// queued plays, renews every held licence, and, when the playlist's
// version (its change log's) moved since the last sync, downloads what the
// playlist has and the store lacks and deletes what it no longer has; then
// it prunes.
func (s *Store) SyncPlaylist(ctx context.Context, api *API, playlistID, quality string) (*Report, error) {
	if s.dev == nil {
		return nil, music.Errorf(music.EINVALID, "the offline store has no enrolled device: enrol first")
	}
	rep := &Report{}
	var err error
	if err := s.uploadPlays(ctx, api, rep); err != nil {
		return rep, err
	}
	if err := s.renew(ctx, api, rep); err != nil {
		return rep, err
	}
	var pl struct {
		Version int64 `json:"version"`
	}
	if err := api.call(ctx, "GET", "/api/v1/playlists/"+url.PathEscape(playlistID), nil, &pl); err != nil {
		return rep, err
	}
	s.mu.Lock()
	unchanged := s.idx.PlaylistID == playlistID && s.idx.PlaylistVersion == pl.Version && s.idx.Quality == quality
	s.mu.Unlock()
	if unchanged { // the renewals above were all there was to do
		pruned, err := s.Prune()
		rep.Deleted = append(rep.Deleted, pruned...)
		return rep, err
	}
	var m manifestJSON
	if err := api.call(ctx, "POST", "/api/v1/me/offline/downloads", map[string]string{"device_id": s.dev.DeviceID, "playlist_id": playlistID, "quality": quality}, &m); err != nil {
		return rep, err
	}
	want := map[string]bool{}
	for _, it := range m.Items {
		want[it.TrackID] = true
		if err := s.fetch(ctx, api, it, rep); err != nil {
			return rep, err
		}
	}
	var gone []string
	for _, h := range s.Held() {
		if !want[h.TrackID] {
			gone = append(gone, h.TrackID)
		}
	}
	if err := s.deleteTracks(ctx, api, gone, rep); err != nil {
		return rep, err
	}
	s.mu.Lock()
	s.idx.PlaylistID, s.idx.PlaylistVersion, s.idx.Quality = playlistID, m.PlaylistVersion, quality
	err = s.saveIndex()
	s.mu.Unlock()
	if err != nil {
		return rep, err
	}
	pruned, err := s.Prune()
	rep.Deleted = append(rep.Deleted, pruned...)
	return rep, err
}

// fetch downloads one manifest item unless the same object is held; the
// licence and key are refreshed either way.
func (s *Store) fetch(ctx context.Context, api *API, it itemJSON, rep *Report) error {
	wrapped, err := offlinecrypt.DecodeKey(it.WrappedKey)
	if err != nil {
		return err
	}
	h := &Held{TrackID: it.TrackID, Title: it.Title, Artist: it.Artist, Rung: it.Rung, ObjectKey: it.ObjectKey, SHA256: it.SHA256,
		Bytes: it.Bytes, WrappedKey: wrapped, Licence: it.Licence, TrackGainDB: it.ReplayGain.TrackGainDB, TrackPeak: it.ReplayGain.TrackPeak,
		DownloadedAt: s.Now()}
	l, err := offlinecrypt.ParseLicence(s.dev.LicenceKey, it.Licence)
	if err != nil {
		return fmt.Errorf("track %s: %w", it.TrackID, err)
	}
	h.Expires = l.Expires
	s.mu.Lock()
	old := s.idx.Tracks[it.TrackID]
	s.mu.Unlock()
	if old != nil && old.ObjectKey == it.ObjectKey {
		h.DownloadedAt, h.LastPlayedAt = old.DownloadedAt, old.LastPlayedAt
	} else {
		if err := s.download(ctx, api, h, it.URL); err != nil {
			return err
		}
		rep.Downloaded = append(rep.Downloaded, it.TrackID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx.Tracks[it.TrackID] = h
	return s.saveIndex()
}

// download fetches an encrypted object to a temporary file, checks its
// size and SHA-256, opens its key and authenticates every chunk, and only
// then renames it into place.
func (s *Store) download(ctx context.Context, api *API, h *Held, url string) error {
	if strings.HasPrefix(url, "/") { // a server without a CDN base URL
		url = strings.TrimSuffix(api.Base, "/") + url
	}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	res, err := api.httpClient().Do(req)
	if err != nil {
		return music.Errorf(music.EUNAVAILABLE, "track %s: %v", h.TrackID, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return music.Errorf(music.EUNAVAILABLE, "track %s: object answered %d", h.TrackID, res.StatusCode)
	}
	dk, err := offlinecrypt.ParseDeviceKey(s.dev.PrivateKey)
	if err != nil {
		return err
	}
	key, err := dk.Unwrap(h.WrappedKey, h.ObjectKey)
	if err != nil {
		return fmt.Errorf("track %s: %w", h.TrackID, err)
	}
	return writeFileAtomic(s.trackPath(h.TrackID), func(f *os.File) error {
		sum := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, sum), res.Body)
		if err != nil {
			return music.Errorf(music.EUNAVAILABLE, "track %s: %v", h.TrackID, err)
		}
		if n != h.Bytes || hex.EncodeToString(sum.Sum(nil)) != h.SHA256 {
			return music.Errorf(music.EINVALID, "track %s: download is %d bytes with another SHA-256 than the manifest's", h.TrackID, n)
		}
		r, err := offlinecrypt.NewReader(f, n, key)
		if err != nil {
			return err
		}
		return r.Verify()
	})
}

// deleteTracks removes tracks here and tells the server.
func (s *Store) deleteTracks(ctx context.Context, api *API, ids []string, rep *Report) error {
	for start := 0; start < len(ids); start += 100 {
		batch := ids[start:min(start+100, len(ids))]
		for _, id := range batch {
			if err := s.remove(id); err != nil {
				return err
			}
		}
		rep.Deleted = append(rep.Deleted, batch...)
		if err := api.call(ctx, "DELETE", "/api/v1/me/offline/downloads", map[string]any{"device_id": s.dev.DeviceID, "track_ids": batch}, nil); err != nil {
			return err
		}
	}
	return nil
}

// renew renews every held licence, 100 per request; a track the server
// says to delete is deleted.
func (s *Store) renew(ctx context.Context, api *API, rep *Report) error {
	held := s.Held()
	for start := 0; start < len(held); start += 100 {
		batch := held[start:min(start+100, len(held))]
		toks := make([]string, len(batch))
		for i, h := range batch {
			toks[i] = h.Licence
		}
		var out struct{ Items []renewItemJSON }
		err := api.call(ctx, "POST", "/api/v1/me/offline/licences/renew", map[string]any{"device_id": s.dev.DeviceID, "licences": toks}, &out)
		if music.ErrorCode(err) == music.ENOTFOUND {
			// The only thing renewal cannot find is the device: it was
			// revoked, and nothing it holds will be renewed again.
			for _, h := range held {
				if rerr := s.remove(h.TrackID); rerr != nil {
					return rerr
				}
				rep.Deleted = append(rep.Deleted, h.TrackID)
			}
			return music.Errorf(music.EFORBIDDEN, "device %s was revoked; its %d downloads were deleted (%v)", s.dev.DeviceID, len(held), err)
		}
		if err != nil {
			return err
		}
		for _, it := range out.Items {
			if err := s.applyRenewal(it, rep); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) applyRenewal(it renewItemJSON, rep *Report) error {
	switch it.Status {
	case "renewed":
		l, err := offlinecrypt.ParseLicence(s.dev.LicenceKey, it.Licence)
		if err != nil {
			return fmt.Errorf("renewed licence of %s: %w", it.TrackID, err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if h := s.idx.Tracks[it.TrackID]; h != nil {
			h.Licence, h.Expires = it.Licence, l.Expires
			rep.Renewed++
		}
		return s.saveIndex()
	case "delete":
		rep.Deleted = append(rep.Deleted, it.TrackID)
		return s.remove(it.TrackID)
	}
	return nil // replayed: the licence held is still the newest we have
}

// uploadPlays reports the queued offline plays with their real played_at
// and counts them in rep. The same event_id reported again is stored once
// by the log within its window and merged by the royalty count's dedup
// after it, so a retry after a crash does not count twice. A play the
// server refuses as invalid (older than lake.MaxReportAge) never becomes
// valid: it is dropped and named in rep.Refused with the server's reason.
func (s *Store) uploadPlays(ctx context.Context, api *API, rep *Report) error {
	var queue []Play
	if err := readJSON(s.playsPath(), &queue); err != nil && !os.IsNotExist(err) {
		return err
	}
	for i, p := range queue {
		ms := p.DurationMS
		body := map[string]any{"event_id": p.EventID, "track_id": p.TrackID, "session_id": "offline-" + s.dev.DeviceID,
			"device_id": s.dev.DeviceID, "played_at": p.PlayedAt.UTC().Format(time.RFC3339Nano), "duration_listened_ms": ms,
			"completed": p.Completed, "quality": p.Rung + "kbps"}
		err := api.call(ctx, "POST", "/api/v1/playback/report", body, nil)
		switch {
		case err == nil:
			rep.Uploaded++
		case music.ErrorCode(err) == music.EINVALID:
			rep.Refused = append(rep.Refused, RefusedPlay{Play: p, Reason: err.Error()})
		default: // keep what is not sent yet
			s.mu.Lock()
			werr := writeJSON(s.playsPath(), queue[i:])
			s.mu.Unlock()
			if werr != nil {
				return werr
			}
			return err
		}
	}
	if len(queue) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return os.Remove(s.playsPath())
}
