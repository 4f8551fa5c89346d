package serving

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
)

// Bounds of one offline request: track_ids, episode_ids and licences per
// call, and the tracks of a playlist or album one manifest covers.
const (
	MaxOfflineBatch    = 100
	MaxOfflineManifest = 1000
)

// offlineRungs are the qualities a device may download (not the preview);
// episodes have only the speech rungs, and download the higher by default.
var (
	offlineRungs        = []string{music.Rung24, music.Rung96, music.Rung160, music.Rung320}
	offlineEpisodeRungs = []string{music.Rung24, music.Rung96}
)

// downloadRequest asks for one of track_ids, episode_ids, playlist_id or
// album_id.
type downloadRequest struct {
	DeviceID   string   `json:"device_id"`
	TrackIDs   []string `json:"track_ids"`
	EpisodeIDs []string `json:"episode_ids"`
	PlaylistID string   `json:"playlist_id"`
	AlbumID    string   `json:"album_id"`
	Quality    string   `json:"quality"`
}

// rung is the quality asked for, or the kind's default.
func (in downloadRequest) rung() (string, error) {
	if len(in.EpisodeIDs) > 0 {
		rung := cmp.Or(in.Quality, music.Rung96)
		if !slices.Contains(offlineEpisodeRungs, rung) {
			return "", music.Errorf(music.EINVALID, "quality %q: episodes have 24 and 96", in.Quality)
		}
		return rung, nil
	}
	rung := cmp.Or(in.Quality, music.Rung160)
	if !slices.Contains(offlineRungs, rung) {
		return "", music.Errorf(music.EINVALID, "quality %q: want 24, 96, 160 or 320", in.Quality)
	}
	return rung, nil
}

// manifestJSON is what a device downloads. PlaylistVersion is the
// version the track list was read at, for the next sync.
type manifestJSON struct {
	DeviceID        string             `json:"device_id"`
	PlaylistID      string             `json:"playlist_id,omitempty"`
	PlaylistVersion int64              `json:"playlist_version,omitempty"`
	AlbumID         string             `json:"album_id,omitempty"`
	LicenceKey      string             `json:"licence_key"`
	Items           []manifestItemJSON `json:"items"`
	// Unavailable are playlist tracks the caller may not have now.
	Unavailable []string `json:"unavailable"`
}

// manifestItemJSON is one track or episode: its encrypted object, the
// content key wrapped to the device (authenticated with ObjectKey) and its
// licence. An episode's Artist is its show's title.
type manifestItemJSON struct {
	Kind       string         `json:"kind"`
	TrackID    string         `json:"track_id,omitempty"`
	EpisodeID  string         `json:"episode_id,omitempty"`
	Title      string         `json:"title"`
	Artist     string         `json:"artist"`
	DurationMS int64          `json:"duration_ms"`
	Rung       string         `json:"rung"`
	URL        string         `json:"url"`
	ObjectKey  string         `json:"object_key"`
	Bytes      int64          `json:"bytes"`
	SHA256     string         `json:"sha256"`
	WrappedKey string         `json:"wrapped_key"`
	Licence    string         `json:"licence"`
	ExpiresAt  time.Time      `json:"expires_at"`
	ReplayGain replayGainJSON `json:"replay_gain"`
}

func (a *offlineAPI) download(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in downloadRequest
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	rung, err := in.rung()
	if err != nil {
		return err
	}
	dev, err := a.Store.OfflineDevice(r.Context(), me.ID, in.DeviceID)
	if err != nil {
		return err
	}
	out := manifestJSON{DeviceID: dev.ID, PlaylistID: in.PlaylistID, AlbumID: in.AlbumID,
		LicenceKey: offlinecrypt.EncodeKey(a.Keys.Signer.PublicKey()), Items: []manifestItemJSON{}, Unavailable: []string{}}
	sources, err := a.sourcesOf(r, me, in, &out)
	if err != nil {
		return err
	}
	now := a.s.Now()
	wrapper, err := offlinecrypt.NewWrapper(dev.PublicKey)
	if err != nil {
		return err
	}
	grants := make([]music.OfflineGrant, 0, len(sources))
	for _, src := range sources {
		item, grant, err := a.prepare(r.Context(), wrapper, src, rung, now)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, item)
		grants = append(grants, grant)
	}
	// Record first, sign after: a refused grant (over the limit) issues
	// no licence at all.
	if err := a.Store.GrantOffline(r.Context(), me.ID, dev.ID, grants, a.MaxTracks); err != nil {
		return err
	}
	for i, g := range grants {
		tok, err := a.Keys.Signer.Sign(offlinecrypt.Licence{ID: g.LicenceID, UserID: me.ID, DeviceID: dev.ID,
			Kind: g.Kind, IDs: []string{g.ID}, IssuedAt: now, Expires: g.Expires})
		if err != nil {
			return err
		}
		out.Items[i].Licence = tok
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// sourcesOf resolves the request to the tracks or episodes it may have,
// each once.
func (a *offlineAPI) sourcesOf(r *http.Request, me *music.User, in downloadRequest, out *manifestJSON) ([]offlineSource, error) {
	n := 0
	for _, set := range []bool{len(in.TrackIDs) > 0, len(in.EpisodeIDs) > 0, in.PlaylistID != "", in.AlbumID != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, music.Errorf(music.EINVALID, "give exactly one of track_ids, episode_ids, playlist_id and album_id")
	}
	if len(in.EpisodeIDs) > 0 {
		return a.episodeSources(r.Context(), in.EpisodeIDs)
	}
	tracks, err := a.tracksOf(r, me, in, out)
	if err != nil {
		return nil, err
	}
	sources := make([]offlineSource, len(tracks))
	for i := range tracks {
		sources[i] = trackSource(&tracks[i])
	}
	return sources, nil
}

// tracksOf resolves track_ids, playlist_id or album_id to visible tracks,
// each once.
func (a *offlineAPI) tracksOf(r *http.Request, me *music.User, in downloadRequest, out *manifestJSON) ([]music.Track, error) {
	v, err := a.s.visibility(r)
	if err != nil {
		return nil, err
	}
	switch {
	case in.AlbumID != "":
		rel, err := a.Catalog.Release(r.Context(), in.AlbumID, v)
		if err != nil {
			return nil, err
		}
		return rel.Tracks, nil
	case in.PlaylistID != "":
		entries, p, err := a.Playlists.Entries(r.Context(), in.PlaylistID, me.ID, 0, MaxOfflineManifest+1)
		if err != nil {
			return nil, err
		}
		if len(entries) > MaxOfflineManifest {
			return nil, music.Errorf(music.EUNPROCESSABLE, "playlist_id: over %d tracks; download it as track_ids in parts", MaxOfflineManifest)
		}
		out.PlaylistVersion = p.Version
		var ids []string
		for _, e := range entries {
			ids = append(ids, e.TrackID)
		}
		return a.visibleTracks(r.Context(), v, ids, &out.Unavailable, "")
	}
	if len(in.TrackIDs) > MaxOfflineBatch {
		return nil, music.Errorf(music.EINVALID, "track_ids: at most %d per request", MaxOfflineBatch)
	}
	return a.visibleTracks(r.Context(), v, in.TrackIDs, nil, "track_ids")
}

// visibleTracks reads each track once. An invisible one is skipped into
// unavailable, or with field set is EUNPROCESSABLE naming it.
func (a *offlineAPI) visibleTracks(ctx context.Context, v music.Visibility, ids []string, unavailable *[]string, field string) ([]music.Track, error) {
	seen := map[string]bool{}
	var out []music.Track
	for i, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		// Read through, not the catalog routes' cache: a takedown must not
		// be downloaded again by the sync whose renewal just deleted it.
		t, err := a.Catalog.Track(ctx, id, v)
		if music.ErrorCode(err) == music.ENOTFOUND {
			if field != "" {
				return nil, music.Errorf(music.EUNPROCESSABLE, "%s[%d]: no track %q", field, i, id)
			}
			*unavailable = append(*unavailable, id)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, nil
}

// prepare makes one manifest item (without its licence) and its grant.
func (a *offlineAPI) prepare(ctx context.Context, wrapper *offlinecrypt.Wrapper, src offlineSource, rung string, now time.Time) (manifestItemJSON, music.OfflineGrant, error) {
	var rd *music.Rendition
	for i := range src.renditions {
		if src.renditions[i].Rung == rung {
			rd = &src.renditions[i]
		}
	}
	if rd == nil {
		return manifestItemJSON{}, music.OfflineGrant{}, music.Errorf(music.EUNPROCESSABLE, "%s %s has no %s rung", src.item.Kind, src.item.ID, rung)
	}
	obj, key, err := a.objects.get(ctx, src.item.Kind, *rd)
	if err != nil {
		return manifestItemJSON{}, music.OfflineGrant{}, err
	}
	wrapped, err := wrapper.Wrap(key, obj.BlobKey)
	if err != nil {
		return manifestItemJSON{}, music.OfflineGrant{}, err
	}
	lid, err := licenceID()
	if err != nil {
		return manifestItemJSON{}, music.OfflineGrant{}, err
	}
	g := music.OfflineGrant{OfflineItem: src.item, Rung: rung, LicenceID: lid, Expires: now.Add(music.OfflineLicenceWindow)}
	item := manifestItemJSON{
		Kind: src.item.Kind, Title: src.title, Artist: src.by, DurationMS: src.duration.Milliseconds(),
		Rung: rung, URL: a.s.streamURL("/"+obj.BlobKey, ""), ObjectKey: obj.BlobKey, Bytes: obj.Bytes, SHA256: obj.SHA256,
		WrappedKey: offlinecrypt.EncodeKey(wrapped), ExpiresAt: g.Expires, ReplayGain: src.gain,
	}
	if src.item.Kind == music.OfflineEpisode {
		item.EpisodeID = src.item.ID
	} else {
		item.TrackID = src.item.ID
	}
	return item, g, nil
}

func licenceID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "lic_" + hex.EncodeToString(b), nil
}
