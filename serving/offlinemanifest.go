package serving

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
)

// Bounds of one offline request: track_ids and licences per call, and the
// tracks of a playlist or album one manifest covers.
const (
	MaxOfflineBatch    = 100
	MaxOfflineManifest = 1000
)

// offlineRungs are the qualities a device may download (not the preview).
var offlineRungs = []string{music.Rung24, music.Rung96, music.Rung160, music.Rung320}

// downloadRequest asks for one of track_ids, playlist_id or album_id.
type downloadRequest struct {
	DeviceID   string   `json:"device_id"`
	TrackIDs   []string `json:"track_ids"`
	PlaylistID string   `json:"playlist_id"`
	AlbumID    string   `json:"album_id"`
	Quality    string   `json:"quality"`
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

// manifestItemJSON is one track: its encrypted object, the content key
// wrapped to the device (authenticated with ObjectKey) and its licence.
type manifestItemJSON struct {
	TrackID    string         `json:"track_id"`
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
	rung := in.Quality
	if rung == "" {
		rung = music.Rung160
	}
	if !slices.Contains(offlineRungs, rung) {
		return music.Errorf(music.EINVALID, "quality %q: want 24, 96, 160 or 320", in.Quality)
	}
	dev, err := a.Store.OfflineDevice(r.Context(), me.ID, in.DeviceID)
	if err != nil {
		return err
	}
	out := manifestJSON{DeviceID: dev.ID, PlaylistID: in.PlaylistID, AlbumID: in.AlbumID,
		LicenceKey: offlinecrypt.EncodeKey(a.Keys.Signer.PublicKey()), Items: []manifestItemJSON{}, Unavailable: []string{}}
	tracks, err := a.tracksOf(r, me, in, &out)
	if err != nil {
		return err
	}
	now := a.s.Now()
	wrapper, err := offlinecrypt.NewWrapper(dev.PublicKey)
	if err != nil {
		return err
	}
	grants := make([]music.OfflineGrant, 0, len(tracks))
	for _, t := range tracks {
		item, grant, err := a.prepare(r.Context(), wrapper, t, rung, now)
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
			TrackIDs: []string{g.TrackID}, IssuedAt: now, Expires: g.Expires})
		if err != nil {
			return err
		}
		out.Items[i].Licence = tok
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// tracksOf resolves the request to visible tracks, each once.
func (a *offlineAPI) tracksOf(r *http.Request, me *music.User, in downloadRequest, out *manifestJSON) ([]music.Track, error) {
	n := 0
	for _, set := range []bool{len(in.TrackIDs) > 0, in.PlaylistID != "", in.AlbumID != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, music.Errorf(music.EINVALID, "give exactly one of track_ids, playlist_id and album_id")
	}
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
func (a *offlineAPI) prepare(ctx context.Context, wrapper *offlinecrypt.Wrapper, t music.Track, rung string, now time.Time) (manifestItemJSON, music.OfflineGrant, error) {
	var rd *music.Rendition
	for i := range t.Renditions {
		if t.Renditions[i].Rung == rung {
			rd = &t.Renditions[i]
		}
	}
	if rd == nil {
		return manifestItemJSON{}, music.OfflineGrant{}, music.Errorf(music.EUNPROCESSABLE, "track %s has no %s rung", t.ID, rung)
	}
	obj, key, err := a.objects.get(ctx, *rd)
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
	g := music.OfflineGrant{TrackID: t.ID, Rung: rung, LicenceID: lid, Expires: now.Add(music.OfflineLicenceWindow)}
	item := manifestItemJSON{
		TrackID: t.ID, Title: t.Title, Artist: mainArtist(t.Artists).Name, DurationMS: t.Duration.Milliseconds(),
		Rung: rung, URL: a.s.streamURL("/"+obj.BlobKey, ""), ObjectKey: obj.BlobKey, Bytes: obj.Bytes, SHA256: obj.SHA256,
		WrappedKey: offlinecrypt.EncodeKey(wrapped), ExpiresAt: g.Expires,
		ReplayGain: replayGainJSON{TrackGainDB: t.ReplayGain.TrackGain, TrackPeak: t.ReplayGain.TrackPeak,
			AlbumGainDB: t.ReplayGain.AlbumGain, AlbumPeak: t.ReplayGain.AlbumPeak},
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
