package offline

import (
	"context"
	"fmt"
	"maps"
	"net/url"

	music "github.com/openmusic/music"
)

// entriesPage is how many entries one read of a playlist's tracks asks
// for (the server's most).
const entriesPage = 100

// syncPlaylist brings the held tracks in step with the playlist. The
// first sync of a playlist (or at a new quality) reads it whole; later
// ones read only its changes since the version held, and read it whole
// again when those cannot be applied.
func (s *Store) syncPlaylist(ctx context.Context, api *API, playlistID, quality string, rep *Report) error {
	s.mu.Lock()
	held := s.idx.PlaylistID == playlistID && s.idx.Quality == quality && s.idx.PlaylistEntries != nil
	since, entries := s.idx.PlaylistVersion, maps.Clone(s.idx.PlaylistEntries)
	s.mu.Unlock()
	if held {
		whole, err := s.syncPlaylistChanges(ctx, api, playlistID, quality, since, entries, rep)
		if !whole {
			return err
		}
	}
	return s.syncWholePlaylist(ctx, api, playlistID, quality, rep)
}

// syncPlaylistChanges applies the playlist's changes after version since
// to entries (what the store holds at since): it asks for a manifest of
// the tracks added only, so only their licences are issued, deletes the
// held tracks no live entry names any more (a track in the playlist
// twice stays until both entries go), and records the new version.
//
// whole is true, with nothing recorded, when the changes cannot be
// applied: the log no longer reaches back to since (410), or an added
// track cannot be had (422: track_ids are refused as a whole, where the
// playlist's manifest lists such a track as unavailable).
//
// A sync killed half way left the version as it was; the next one reads
// the same changes, finds the added tracks held and the removed ones
// gone, and records the version.
func (s *Store) syncPlaylistChanges(ctx context.Context, api *API, playlistID, quality string, since int64, entries map[string]string, rep *Report) (whole bool, err error) {
	version := since
	var added []string
	for {
		var page changesJSON
		path := fmt.Sprintf("/api/v1/playlists/%s/changes?since=%d&limit=%d", url.PathEscape(playlistID), version, music.MaxChangesPage)
		err := api.call(ctx, "GET", path, nil, &page)
		if music.ErrorCode(err) == music.EGONE {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		for _, c := range page.Changes {
			switch c.Kind {
			case music.EditAdd:
				for _, e := range c.Entries {
					entries[e.EntryID] = e.TrackID
					added = append(added, e.TrackID)
				}
			case music.EditRemove:
				for _, id := range c.Removed {
					delete(entries, id)
				}
			}
			version = c.Version
		}
		if !page.More || len(page.Changes) == 0 {
			break
		}
	}
	if version == since { // the renewals were all there was to do
		return false, nil
	}
	live := map[string]bool{}
	for _, id := range entries {
		live[id] = true
	}
	var missing []string
	seen := map[string]bool{}
	s.mu.Lock()
	for _, id := range added {
		if h := s.idx.Items[id]; live[id] && !seen[id] && (h == nil || h.Item().Kind != music.OfflineTrack) {
			missing = append(missing, id)
		}
		seen[id] = true
	}
	s.mu.Unlock()
	for start := 0; start < len(missing); start += 100 {
		var m manifestJSON
		body := map[string]any{"device_id": s.dev.DeviceID, "track_ids": missing[start:min(start+100, len(missing))], "quality": quality}
		err := api.call(ctx, "POST", "/api/v1/me/offline/downloads", body, &m)
		if music.ErrorCode(err) == music.EUNPROCESSABLE {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		for _, it := range m.Items {
			if err := s.fetch(ctx, api, it, rep); err != nil {
				return false, err
			}
		}
	}
	if err := s.deleteUnwanted(ctx, api, music.OfflineTrack, live, rep); err != nil {
		return false, err
	}
	return false, s.setPlaylist(playlistID, quality, version, entries)
}

// syncWholePlaylist reads the playlist's entries, asks for its whole
// manifest (a licence for every track), downloads what the store lacks,
// deletes the tracks the manifest does not name, and records the
// entries' version.
func (s *Store) syncWholePlaylist(ctx context.Context, api *API, playlistID, quality string, rep *Report) error {
	// Entries first: the manifest is then at their version or a later
	// one, and the next sync applies the changes in between again, which
	// finds them done.
	entries, version, err := readEntries(ctx, api, playlistID)
	if err != nil {
		return err
	}
	var m manifestJSON
	if err := api.call(ctx, "POST", "/api/v1/me/offline/downloads", map[string]string{"device_id": s.dev.DeviceID, "playlist_id": playlistID, "quality": quality}, &m); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, it := range m.Items {
		want[it.TrackID] = true
		if err := s.fetch(ctx, api, it, rep); err != nil {
			return err
		}
	}
	if err := s.deleteUnwanted(ctx, api, music.OfflineTrack, want, rep); err != nil {
		return err
	}
	return s.setPlaylist(playlistID, quality, version, entries)
}

// readEntries reads a playlist's live entries page by page, all at one
// version: a write between two pages starts the read again.
func readEntries(ctx context.Context, api *API, playlistID string) (map[string]string, int64, error) {
	const tries = 3
	for range tries {
		entries, version, consistent := map[string]string{}, int64(-1), true
		for offset := 0; ; {
			var page entriesJSON
			path := fmt.Sprintf("/api/v1/playlists/%s/tracks?offset=%d&limit=%d", url.PathEscape(playlistID), offset, entriesPage)
			if err := api.call(ctx, "GET", path, nil, &page); err != nil {
				return nil, 0, err
			}
			if version >= 0 && page.Version != version {
				consistent = false
				break
			}
			version = page.Version
			for _, e := range page.Items {
				entries[e.EntryID] = e.TrackID
			}
			offset += len(page.Items)
			if len(page.Items) == 0 || offset >= page.Total {
				break
			}
		}
		if consistent {
			return entries, version, nil
		}
	}
	return nil, 0, music.Errorf(music.EUNAVAILABLE, "playlist %s changed while its entries were read, %d times: sync again", playlistID, tries)
}

// setPlaylist records the playlist the store is in step with.
func (s *Store) setPlaylist(id, quality string, version int64, entries map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx.PlaylistID, s.idx.Quality, s.idx.PlaylistVersion, s.idx.PlaylistEntries = id, quality, version, entries
	return s.saveIndex()
}
