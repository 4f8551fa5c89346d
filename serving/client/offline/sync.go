package offline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
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
	Downloaded []string      // tracks and episodes added
	Deleted    []string      // tracks and episodes removed: gone from the playlist or the episode list, taken down, dropped from their feed, lapsed
}

// SyncRequest is what a sync keeps on the device: a playlist's tracks,
// some podcast episodes, or both. A kind the request does not name is
// left as it is held (renewed and pruned, nothing added or removed).
type SyncRequest struct {
	PlaylistID string
	Quality    string // the tracks' rung
	// EpisodeIDs are the episodes to hold; nil leaves the held episodes
	// as they are.
	EpisodeIDs []string
	// EpisodeQuality is their rung, "24" or "96"; a held episode at
	// another rung is downloaded again at this one. "" takes the
	// server's default (96) and keeps held episodes at any rung.
	EpisodeQuality string
}

// SyncPlaylist syncs a playlist only; see Sync.
func (s *Store) SyncPlaylist(ctx context.Context, api *API, playlistID, quality string) (*Report, error) {
	return s.Sync(ctx, api, SyncRequest{PlaylistID: playlistID, Quality: quality})
}

// Sync brings the store in step with req: it uploads the queued plays,
// renews every held licence (deleting what the server refuses), brings the
// playlist's tracks and the episodes in step, and then prunes.
func (s *Store) Sync(ctx context.Context, api *API, req SyncRequest) (*Report, error) {
	if s.dev == nil {
		return nil, music.Errorf(music.EINVALID, "the offline store has no enrolled device: enrol first")
	}
	if req.PlaylistID == "" && req.EpisodeIDs == nil {
		return nil, music.Errorf(music.EINVALID, "offline sync: name a playlist or episodes to keep")
	}
	rep := &Report{}
	if err := s.uploadPlays(ctx, api, rep); err != nil {
		return rep, err
	}
	if err := s.renew(ctx, api, rep); err != nil {
		return rep, err
	}
	if req.PlaylistID != "" {
		if err := s.syncPlaylist(ctx, api, req.PlaylistID, req.Quality, rep); err != nil {
			return rep, err
		}
	}
	if req.EpisodeIDs != nil {
		if err := s.syncEpisodes(ctx, api, req.EpisodeIDs, req.EpisodeQuality, rep); err != nil {
			return rep, err
		}
	}
	pruned, err := s.Prune()
	rep.Deleted = append(rep.Deleted, pruned...)
	return rep, err
}

// syncEpisodes downloads the episodes of ids the store lacks and deletes
// the held episodes ids does not name. An episode this sync's renewal
// deleted (its feed dropped it) is not asked for again: the server would
// refuse it.
func (s *Store) syncEpisodes(ctx context.Context, api *API, ids []string, quality string, rep *Report) error {
	want, missing := map[string]bool{}, []string{}
	s.mu.Lock()
	for _, id := range ids {
		h := s.idx.Items[id]
		held := h != nil && h.Item().Kind == music.OfflineEpisode && (quality == "" || h.Rung == quality)
		if !want[id] && !held && !slices.Contains(rep.Deleted, id) {
			missing = append(missing, id)
		}
		want[id] = true
	}
	s.mu.Unlock()
	for start := 0; start < len(missing); start += 100 {
		var m manifestJSON
		batch := missing[start:min(start+100, len(missing))]
		body := map[string]any{"device_id": s.dev.DeviceID, "episode_ids": batch}
		if quality != "" {
			body["quality"] = quality
		}
		if err := api.call(ctx, "POST", "/api/v1/me/offline/downloads", body, &m); err != nil {
			return err
		}
		for _, it := range m.Items {
			if err := s.fetch(ctx, api, it, rep); err != nil {
				return err
			}
		}
	}
	return s.deleteUnwanted(ctx, api, music.OfflineEpisode, want, rep)
}

// deleteUnwanted deletes the held items of kind that want does not name.
func (s *Store) deleteUnwanted(ctx context.Context, api *API, kind string, want map[string]bool, rep *Report) error {
	var gone []music.OfflineItem
	for _, h := range s.Held() {
		if h.Item().Kind == kind && !want[h.ID] {
			gone = append(gone, h.Item())
		}
	}
	return s.deleteItems(ctx, api, gone, rep)
}

// fetch downloads one manifest item unless the same object is held; the
// licence and key are refreshed either way.
func (s *Store) fetch(ctx context.Context, api *API, it itemJSON, rep *Report) error {
	wrapped, err := offlinecrypt.DecodeKey(it.WrappedKey)
	if err != nil {
		return err
	}
	item := item(it.Kind, it.TrackID, it.EpisodeID)
	h := &Held{Kind: item.Kind, ID: item.ID, Title: it.Title, Artist: it.Artist, Rung: it.Rung, ObjectKey: it.ObjectKey, SHA256: it.SHA256,
		Bytes: it.Bytes, WrappedKey: wrapped, Licence: it.Licence, TrackGainDB: it.ReplayGain.TrackGainDB, TrackPeak: it.ReplayGain.TrackPeak,
		DownloadedAt: s.Now()}
	l, err := offlinecrypt.ParseLicence(s.dev.LicenceKey, it.Licence)
	if err != nil {
		return fmt.Errorf("%s %s: %w", item.Kind, item.ID, err)
	}
	if !l.Covers(item) {
		return music.Errorf(music.EINVALID, "%s %s: the manifest's licence covers another item", item.Kind, item.ID)
	}
	h.Expires = l.Expires
	s.mu.Lock()
	old := s.idx.Items[item.ID]
	s.mu.Unlock()
	if old != nil && old.ObjectKey == it.ObjectKey && old.Item() == item {
		h.DownloadedAt, h.LastPlayedAt = old.DownloadedAt, old.LastPlayedAt
	} else {
		if err := s.download(ctx, api, h, it.URL); err != nil {
			return err
		}
		rep.Downloaded = append(rep.Downloaded, item.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx.Items[item.ID] = h
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
		return music.Errorf(music.EUNAVAILABLE, "%s %s: %v", h.Item().Kind, h.ID, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return music.Errorf(music.EUNAVAILABLE, "%s %s: object answered %d", h.Item().Kind, h.ID, res.StatusCode)
	}
	dk, err := offlinecrypt.ParseDeviceKey(s.dev.PrivateKey)
	if err != nil {
		return err
	}
	key, err := dk.Unwrap(h.WrappedKey, h.ObjectKey)
	if err != nil {
		return fmt.Errorf("%s %s: %w", h.Item().Kind, h.ID, err)
	}
	return writeFileAtomic(s.path(h.Item()), func(f *os.File) error {
		sum := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, sum), res.Body)
		if err != nil {
			return music.Errorf(music.EUNAVAILABLE, "%s %s: %v", h.Item().Kind, h.ID, err)
		}
		if n != h.Bytes || hex.EncodeToString(sum.Sum(nil)) != h.SHA256 {
			return music.Errorf(music.EINVALID, "%s %s: download is %d bytes with another SHA-256 than the manifest's", h.Item().Kind, h.ID, n)
		}
		r, err := offlinecrypt.NewReader(f, n, key)
		if err != nil {
			return err
		}
		return r.Verify()
	})
}

// deleteItems removes tracks and episodes here and tells the server.
func (s *Store) deleteItems(ctx context.Context, api *API, items []music.OfflineItem, rep *Report) error {
	for start := 0; start < len(items); start += 100 {
		body := map[string]any{"device_id": s.dev.DeviceID}
		var tracks, episodes []string
		for _, it := range items[start:min(start+100, len(items))] {
			if err := s.remove(it); err != nil {
				return err
			}
			rep.Deleted = append(rep.Deleted, it.ID)
			if it.Kind == music.OfflineEpisode {
				episodes = append(episodes, it.ID)
			} else {
				tracks = append(tracks, it.ID)
			}
		}
		if tracks != nil {
			body["track_ids"] = tracks
		}
		if episodes != nil {
			body["episode_ids"] = episodes
		}
		if err := api.call(ctx, "DELETE", "/api/v1/me/offline/downloads", body, nil); err != nil {
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
				if rerr := s.remove(h.Item()); rerr != nil {
					return rerr
				}
				rep.Deleted = append(rep.Deleted, h.ID)
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
	item := item(it.Kind, it.TrackID, it.EpisodeID)
	switch it.Status {
	case "renewed":
		l, err := offlinecrypt.ParseLicence(s.dev.LicenceKey, it.Licence)
		if err != nil {
			return fmt.Errorf("renewed licence of %s %s: %w", item.Kind, item.ID, err)
		}
		if !l.Covers(item) {
			return music.Errorf(music.EINVALID, "renewed licence of %s %s covers another item", item.Kind, item.ID)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if h := s.idx.Items[item.ID]; h != nil && h.Item() == item {
			h.Licence, h.Expires = it.Licence, l.Expires
			rep.Renewed++
		}
		return s.saveIndex()
	case "delete":
		rep.Deleted = append(rep.Deleted, item.ID)
		return s.remove(item)
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
		body := map[string]any{"event_id": p.EventID, "session_id": "offline-" + s.dev.DeviceID,
			"device_id": s.dev.DeviceID, "played_at": p.PlayedAt.UTC().Format(time.RFC3339Nano), "duration_listened_ms": ms,
			"completed": p.Completed, "quality": p.Rung + "kbps"}
		if it := itemOf(p.Kind, p.ID); it.Kind == music.OfflineEpisode {
			body["kind"], body["episode_id"] = it.Kind, it.ID // kept for the show's statistics, never royalties
		} else {
			body["track_id"] = it.ID
		}
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
