package connect

import (
	"context"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/shuffle"
)

// CatalogTracks resolves tracks, albums and playlists from the catalog as
// the user may see them (their country's deals, now).
type CatalogTracks struct {
	Catalog   music.Catalog
	Playlists music.PlaylistStore
	Now       func() time.Time
}

func (c *CatalogTracks) visibility(u *music.User) music.Visibility {
	return music.Visibility{Territory: u.Country, At: c.Now()}
}

// Tracks looks each ID up. See Tracks.
func (c *CatalogTracks) Tracks(ctx context.Context, u *music.User, ids []string) ([]TrackInfo, error) {
	v := c.visibility(u)
	out := make([]TrackInfo, len(ids))
	for i, id := range ids {
		t, err := c.Catalog.Track(ctx, id, v)
		if err != nil {
			if music.ErrorCode(err) == music.ENOTFOUND {
				return nil, music.Errorf(music.ENOTFOUND, "no track %q you can play", id)
			}
			return nil, err
		}
		out[i] = trackInfo(t)
	}
	return out, nil
}

// Context lists an album's or playlist's tracks. See Tracks.
func (c *CatalogTracks) Context(ctx context.Context, u *music.User, uri string, limit int) ([]TrackInfo, error) {
	kind, id, _ := strings.Cut(uri, ":")
	switch kind {
	case "album":
		rel, err := c.Catalog.Release(ctx, id, c.visibility(u))
		if err != nil {
			return nil, err
		}
		if len(rel.Tracks) > limit {
			return nil, music.Errorf(music.EUNPROCESSABLE, "context %s has %d tracks, at most %d", uri, len(rel.Tracks), limit)
		}
		out := make([]TrackInfo, len(rel.Tracks))
		for i := range rel.Tracks {
			out[i] = trackInfo(&rel.Tracks[i])
		}
		return out, nil
	case "playlist":
		var ids []string
		const page = 500
		for {
			entries, pl, err := c.Playlists.Entries(ctx, id, u.ID, len(ids), page)
			if err != nil {
				return nil, err
			}
			if pl.TrackCount > limit {
				return nil, music.Errorf(music.EUNPROCESSABLE, "context %s has %d tracks, at most %d", uri, pl.TrackCount, limit)
			}
			for _, e := range entries {
				ids = append(ids, e.TrackID)
			}
			if len(entries) < page {
				break
			}
		}
		return c.playable(ctx, u, ids)
	}
	return nil, music.Errorf(music.EINVALID, "context_uri %.80q: want album:ID or playlist:ID", uri)
}

// playable looks up a playlist's tracks, skipping those the user cannot
// play now (taken down, no deal in their country), as players do.
func (c *CatalogTracks) playable(ctx context.Context, u *music.User, ids []string) ([]TrackInfo, error) {
	v := c.visibility(u)
	out := make([]TrackInfo, 0, len(ids))
	for _, id := range ids {
		t, err := c.Catalog.Track(ctx, id, v)
		if music.ErrorCode(err) == music.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, trackInfo(t))
	}
	return out, nil
}

func trackInfo(t *music.Track) TrackInfo {
	info := TrackInfo{ID: t.ID, DurationMS: t.Duration.Milliseconds(), Track: shuffle.Track{Genre: t.Genre}}
	if len(t.Artists) > 0 {
		info.ArtistID = t.Artists[0].ArtistID
	}
	if t.AudioFeatures != nil { // the shuffle avoids big tempo jumps
		info.Tempo = t.AudioFeatures.Tempo
	}
	return info
}
