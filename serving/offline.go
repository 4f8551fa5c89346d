package serving

import (
	"net/http"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/internal/blobcheck"
	"github.com/openmusic/music/offlinecrypt"
)

// Offline is what the offline download routes use.
type Offline struct {
	Users     music.UserStore
	Store     music.OfflineStore
	Catalog   music.Catalog
	Playlists music.PlaylistStore
	// Podcasts holds the episodes a device may download; nil refuses
	// every episode.
	Podcasts music.PodcastStore
	Blobs    music.BlobStore
	// Keys signs licences and seals content keys at rest (--offline-key).
	Keys *offlinecrypt.Keyring
	// MaxDevices and MaxTracks are the per-user limits; 0 means the
	// music.DefaultOffline* values.
	MaxDevices, MaxTracks int
	// Audio tells how encrypted objects are delivered, as for renditions.
	Audio AudioOptions
}

// HandleOffline routes offline downloads (issue #15), for listener
// accounts:
//
//	POST   /api/v1/me/offline/devices           {name, public_key} enrol a device (X25519, base64url)
//	GET    /api/v1/me/offline/devices           the caller's devices
//	DELETE /api/v1/me/offline/devices/{id}      revoke: no renewal for it again
//	POST   /api/v1/me/offline/downloads         {device_id, track_ids | episode_ids | playlist_id | album_id, quality} → manifest
//	DELETE /api/v1/me/offline/downloads         {device_id, track_ids, episode_ids} the device deleted them
//	POST   /api/v1/me/offline/licences/renew    {device_id, licences} → per track or episode: renewed, delete or replayed
//	GET    /offline/{track_id}/{version}/{file}  a track's encrypted object ({rung}.mofl), signed like /audio/ URLs
//	GET    /offline/episodes/{episode_id}/{version}/{file}  a podcast episode's, alike
//
// Another user's device is 404, as an unknown one.
func (s *Server) HandleOffline(o Offline) {
	if o.MaxDevices <= 0 {
		o.MaxDevices = music.DefaultOfflineMaxDevices
	}
	if o.MaxTracks <= 0 {
		o.MaxTracks = music.DefaultOfflineMaxTracks
	}
	if o.Audio.PresignTTL <= 0 {
		o.Audio.PresignTTL = 5 * time.Minute
	}
	a := &offlineAPI{s: s, Offline: o, objects: &offlineObjects{store: o.Store, blobs: o.Blobs, keys: o.Keys, inflight: map[string]*objectCall{}}}
	s.offlineObjects = a.objects
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, me *music.User) error) {
		s.Handle(pattern, s.authed(o.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
			if err := h(w, r, UserFrom(r.Context())); err != nil {
				writeError(w, err)
			}
		}))
	}
	route("POST /api/v1/me/offline/devices", a.enrol)
	route("GET /api/v1/me/offline/devices", a.devices)
	route("DELETE /api/v1/me/offline/devices/{id}", a.revoke)
	route("POST /api/v1/me/offline/downloads", a.download)
	route("DELETE /api/v1/me/offline/downloads", a.forget)
	route("POST /api/v1/me/offline/licences/renew", a.renew)
	s.handleKind(routeStream, "GET /offline/{track_id}/{version}/{file}", a.object(func(r *http.Request) string {
		return blobkey.Offline(r.PathValue("track_id"), r.PathValue("version"), strings.TrimSuffix(r.PathValue("file"), ".mofl"))
	}))
	s.handleKind(routeStream, "GET /offline/episodes/{episode_id}/{version}/{file}", a.object(func(r *http.Request) string {
		return blobkey.OfflineEpisode(r.PathValue("episode_id"), r.PathValue("version"), strings.TrimSuffix(r.PathValue("file"), ".mofl"))
	}))
}

// offlineAPI holds what the offline handlers share.
type offlineAPI struct {
	s *Server
	Offline
	objects *offlineObjects
}

// deviceJSON is an enrolled device. LicenceKey is the server's Ed25519
// public key the device checks licences with.
type deviceJSON struct {
	DeviceID   string    `json:"device_id"`
	Name       string    `json:"name"`
	PublicKey  string    `json:"public_key"`
	CreatedAt  time.Time `json:"created_at"`
	LicenceKey string    `json:"licence_key"`
}

func (a *offlineAPI) deviceJSON(d *music.OfflineDevice) deviceJSON {
	return deviceJSON{DeviceID: d.ID, Name: d.Name, PublicKey: offlinecrypt.EncodeKey(d.PublicKey),
		CreatedAt: d.CreatedAt, LicenceKey: offlinecrypt.EncodeKey(a.Keys.Signer.PublicKey())}
}

func (a *offlineAPI) enrol(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in struct {
		Name      string `json:"name"`
		PublicKey string `json:"public_key"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	pub, err := offlinecrypt.ParsePublicKey(in.PublicKey)
	if err != nil {
		return err
	}
	d, err := a.Store.EnrolOfflineDevice(r.Context(), me.ID, in.Name, pub, a.MaxDevices)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.deviceJSON(d))
	return nil
}

func (a *offlineAPI) devices(w http.ResponseWriter, r *http.Request, me *music.User) error {
	list, err := a.Store.OfflineDevices(r.Context(), me.ID)
	if err != nil {
		return err
	}
	out := struct {
		Items []deviceJSON `json:"items"`
	}{Items: make([]deviceJSON, 0, len(list))}
	for i := range list {
		out.Items = append(out.Items, a.deviceJSON(&list[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *offlineAPI) revoke(w http.ResponseWriter, r *http.Request, me *music.User) error {
	if err := a.Store.RevokeOfflineDevice(r.Context(), me.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *offlineAPI) forget(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in struct {
		DeviceID   string   `json:"device_id"`
		TrackIDs   []string `json:"track_ids"`
		EpisodeIDs []string `json:"episode_ids"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	items, err := offlineItems(in.TrackIDs, in.EpisodeIDs)
	if err != nil {
		return err
	}
	if _, err := a.Store.OfflineDevice(r.Context(), me.ID, in.DeviceID); err != nil {
		return err
	}
	if err := a.Store.RemoveOffline(r.Context(), me.ID, in.DeviceID, items); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// object serves the encrypted object at the blob key keyOf makes of the
// path. The signature is the grant, as for /audio/; the object is useless
// without a key wrapped to a device.
func (a *offlineAPI) object(keyOf func(*http.Request) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { a.serveObject(w, r, keyOf(r)) }
}

func (a *offlineAPI) serveObject(w http.ResponseWriter, r *http.Request, key string) {
	if a.s.Signer == nil {
		writeError(w, music.Errorf(music.EUNAVAILABLE, "audio delivery has no signing key configured"))
		return
	}
	if _, err := a.s.Signer.Verify("/"+key, r.URL.Query()); err != nil {
		writeError(w, err)
		return
	}
	if err := a.s.spend(r.Context(), LimitAudio, "sig:"+r.URL.Query().Get("sig")); err != nil {
		writeLimited(w, err)
		return
	}
	if err := a.s.episodeAudioGone(r.Context(), r.PathValue("episode_id")); err != nil {
		writeError(w, err)
		return
	}
	if !strings.HasSuffix(r.PathValue("file"), ".mofl") || blobcheck.Key(key) != nil {
		writeError(w, music.Errorf(music.ENOTFOUND, "no encrypted object %q", key))
		return
	}
	a.s.serveBlob(w, r, a.Blobs, a.Audio, key, offlineContentType)
}
