package music

import (
	"context"
	"time"
)

// Offline downloads (#15): a device enrols with an X25519 public key, then
// downloads encrypted renditions with their content keys wrapped to it and
// a signed licence per track that lasts OfflineLicenceWindow.
const (
	// OfflineLicenceWindow is how long a licence lets a track play with no
	// network. It equals the royalty count's lateness limit, so every play
	// a valid licence allows is still counted when it is uploaded.
	OfflineLicenceWindow = 30 * 24 * time.Hour
	// DefaultOfflineMaxDevices is the per-user device limit.
	DefaultOfflineMaxDevices = 5
	// DefaultOfflineMaxTracks is the per-user download limit, summed over
	// the user's devices. Tracks and podcast episodes count alike: a
	// download costs the same storage and licence bookkeeping whatever it
	// holds.
	DefaultOfflineMaxTracks = 10000
	// MaxOfflineDeviceName bounds a device's name.
	MaxOfflineDeviceName = 100
)

// OfflineDevice is a device enrolled for offline play.
type OfflineDevice struct {
	ID        string
	UserID    string
	Name      string
	PublicKey []byte // X25519, 32 bytes
	CreatedAt time.Time
}

// The kinds of item a device may hold offline.
const (
	OfflineTrack   = "track"
	OfflineEpisode = "episode" // a podcast episode
)

// OfflineItem names what a download holds: a track or a podcast episode.
// Track IDs (trk-…) and episode IDs (ep_…) never collide, and the kind
// says which catalog to check at renewal.
type OfflineItem struct {
	Kind string // OfflineTrack or OfflineEpisode
	ID   string
}

// CheckOfflineKind refuses a kind other than OfflineTrack and
// OfflineEpisode, naming field.
func CheckOfflineKind(field, kind string) error {
	if kind != OfflineTrack && kind != OfflineEpisode {
		return Errorf(EINVALID, "%s: kind %q, want %q or %q", field, kind, OfflineTrack, OfflineEpisode)
	}
	return nil
}

// OfflineGrant is one item a device may hold: which rung, under which
// licence, until when.
type OfflineGrant struct {
	OfflineItem
	Rung      string
	LicenceID string
	Expires   time.Time
}

// OfflineDownload is a grant as the store keeps it.
type OfflineDownload struct {
	OfflineGrant
	DeviceID  string
	UpdatedAt time.Time
}

// OfflineObject is the encrypted copy of one rendition, made once and
// shared by every user and device: only the key wrap is personal.
// SealedKey is the content key sealed under the server's key at rest.
type OfflineObject struct {
	RenditionKey string // the plain rendition's blob key
	BlobKey      string // the encrypted object's blob key
	Bytes        int64
	SHA256       string
	SealedKey    []byte
	CreatedAt    time.Time
}

// OfflineStore keeps offline devices, what each holds under which
// licence, and the encrypted objects. Implementation: sqlstore.
type OfflineStore interface {
	// EnrolOfflineDevice adds a device; past maxDevices for the user it is
	// EUNPROCESSABLE and nothing is added.
	EnrolOfflineDevice(ctx context.Context, userID, name string, publicKey []byte, maxDevices int) (*OfflineDevice, error)
	// OfflineDevice returns one of the user's devices; another user's or
	// a revoked one is ENOTFOUND.
	OfflineDevice(ctx context.Context, userID, deviceID string) (*OfflineDevice, error)
	// OfflineDevices lists the user's devices, oldest first.
	OfflineDevices(ctx context.Context, userID string) ([]OfflineDevice, error)
	// RevokeOfflineDevice removes a device and everything it holds; no
	// licence is renewed for it again. An unknown device is ENOTFOUND.
	RevokeOfflineDevice(ctx context.Context, userID, deviceID string) error
	// GrantOffline records grants for a device (replacing those of the
	// same items). When the user would then hold more than maxTracks
	// downloads (tracks and episodes together) over all devices it is
	// EUNPROCESSABLE and nothing changes.
	GrantOffline(ctx context.Context, userID, deviceID string, grants []OfflineGrant, maxTracks int) error
	// RenewOffline replaces the licence of one held item, but only if the
	// device presents the current one (oldLicenceID): a replayed or stale
	// renewal is ECONFLICT, an item not held (or held as another kind) is
	// ENOTFOUND.
	RenewOffline(ctx context.Context, userID, deviceID string, item OfflineItem, oldLicenceID, newLicenceID string, expires time.Time) error
	// OfflineDownloads lists what a device holds, by ID.
	OfflineDownloads(ctx context.Context, userID, deviceID string) ([]OfflineDownload, error)
	// RemoveOffline forgets items a device deleted; absent ones are fine.
	RemoveOffline(ctx context.Context, userID, deviceID string, items []OfflineItem) error

	// OfflineObject returns the encrypted copy of a rendition; none yet is
	// ENOTFOUND.
	OfflineObject(ctx context.Context, renditionKey string) (*OfflineObject, error)
	// PutOfflineObject records an encrypted copy unless one exists, and
	// returns the one kept: two servers racing keep the first.
	PutOfflineObject(ctx context.Context, o OfflineObject) (*OfflineObject, error)
}
