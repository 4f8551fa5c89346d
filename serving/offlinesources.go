package serving

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

// offlineSource is one item a manifest can hold, whatever its kind: what
// the device shows, the renditions to encrypt and the gain to play at.
type offlineSource struct {
	item       music.OfflineItem
	title, by  string // an episode is "by" its show
	duration   time.Duration
	renditions []music.Rendition
	gain       replayGainJSON
}

func trackSource(t *music.Track) offlineSource {
	return offlineSource{item: music.OfflineItem{Kind: music.OfflineTrack, ID: t.ID}, title: t.Title,
		by: mainArtist(t.Artists).Name, duration: t.Duration, renditions: t.Renditions,
		gain: replayGainJSON{TrackGainDB: t.ReplayGain.TrackGain, TrackPeak: t.ReplayGain.TrackPeak,
			AlbumGainDB: t.ReplayGain.AlbumGain, AlbumPeak: t.ReplayGain.AlbumPeak}}
}

// episodeSource gives an episode the ReplayGain its loudness asks for:
// episodes are normalised to -16 LUFS at fetch, and the player brings
// them to the ReplayGain reference as it does music. The catalog keeps no
// peak for an episode, and the gain is a cut, so none is needed.
func episodeSource(e *music.Episode, sh *music.Show) offlineSource {
	gain := music.ReplayGainReference - e.Audio.LoudnessLUFS
	return offlineSource{item: music.OfflineItem{Kind: music.OfflineEpisode, ID: e.ID}, title: e.Title, by: sh.Title,
		duration: e.Audio.Duration, renditions: e.Audio.Renditions,
		gain: replayGainJSON{TrackGainDB: gain, AlbumGainDB: gain}}
}

// episodeSources resolves episode_ids, each once. An episode a device may
// not hold (see offlineEpisode) is EUNPROCESSABLE naming it.
func (a *offlineAPI) episodeSources(ctx context.Context, ids []string) ([]offlineSource, error) {
	if len(ids) > MaxOfflineBatch {
		return nil, music.Errorf(music.EINVALID, "episode_ids: at most %d per request", MaxOfflineBatch)
	}
	seen := map[string]bool{}
	var out []offlineSource
	for i, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		e, sh, err := a.offlineEpisode(ctx, id)
		if music.ErrorCode(err) == music.ENOTFOUND {
			return nil, music.Errorf(music.EUNPROCESSABLE, "episode_ids[%d]: %s", i, music.ErrorMessage(err))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, episodeSource(e, sh))
	}
	return out, nil
}

// offlineEpisode returns an episode a device may hold, with its show, or
// ENOTFOUND saying why not. The rule, at download and at every renewal:
// the episode is published (its feed still lists it and its audio is
// stored) and its show is still up (not removed by ops, not locked by its
// owner). An episode its feed dropped
// is hidden, never deleted, so renewal finds it and refuses it.
func (a *offlineAPI) offlineEpisode(ctx context.Context, id string) (*music.Episode, *music.Show, error) {
	if a.Podcasts == nil {
		return nil, nil, music.Errorf(music.ENOTFOUND, "no episode %q: this server has no podcasts", id)
	}
	e, err := a.Podcasts.Episode(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case e.Hidden:
		return nil, nil, music.Errorf(music.ENOTFOUND, "episode %s was dropped from its show's feed", id)
	case e.Audio == nil:
		return nil, nil, music.Errorf(music.ENOTFOUND, "episode %s has no audio yet", id)
	}
	sh, err := a.Podcasts.Show(ctx, e.ShowID)
	if music.ErrorCode(err) == music.ENOTFOUND { // the store's message says why: removed by ops, locked by its owner
		return nil, nil, music.Errorf(music.ENOTFOUND, "episode %s: %s", id, music.ErrorMessage(err))
	}
	return e, sh, err
}

// unavailable says why the caller may no longer hold item ("" when they
// may): a track taken down or out of the territory's deals, or an episode
// offlineEpisode refuses.
func (a *offlineAPI) unavailable(ctx context.Context, item music.OfflineItem, v music.Visibility) (string, error) {
	var err error
	switch item.Kind {
	case music.OfflineTrack:
		_, err = a.Catalog.Track(ctx, item.ID, v)
		if music.ErrorCode(err) == music.ENOTFOUND {
			return "the track is no longer available in your territory", nil
		}
	case music.OfflineEpisode:
		_, _, err = a.offlineEpisode(ctx, item.ID)
		if music.ErrorCode(err) == music.ENOTFOUND {
			return music.ErrorMessage(err), nil
		}
	default:
		err = fmt.Errorf("offline item of kind %q", item.Kind)
	}
	return "", err
}

// offlineItems lists track_ids and episode_ids as items, checking their
// count together.
func offlineItems(trackIDs, episodeIDs []string) ([]music.OfflineItem, error) {
	if n := len(trackIDs) + len(episodeIDs); n == 0 || n > MaxOfflineBatch {
		return nil, music.Errorf(music.EINVALID, "track_ids and episode_ids: want 1 to %d together", MaxOfflineBatch)
	}
	items := make([]music.OfflineItem, 0, len(trackIDs)+len(episodeIDs))
	for _, id := range trackIDs {
		items = append(items, music.OfflineItem{Kind: music.OfflineTrack, ID: id})
	}
	for _, id := range episodeIDs {
		items = append(items, music.OfflineItem{Kind: music.OfflineEpisode, ID: id})
	}
	return items, nil
}
