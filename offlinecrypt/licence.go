package offlinecrypt

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// MaxLicenceSize bounds a licence token before it is decoded.
const MaxLicenceSize = 16 << 10

// Licence lets one device of one user play some tracks, or some podcast
// episodes, until Expires. The server signs it; the client checks it with
// the server's public key before every play, with no network.
//
// Two versions are signed, so every licence issued before episodes still
// verifies and every client from before episodes still reads track
// licences: version 1 names tracks ({"v":1,…,"tracks":[…]}); version 2
// names its kind ({"v":2,…,"kind":"episode","items":[…]}). Sign writes a
// track licence as version 1 and any other as version 2, which an older
// client refuses plainly ("licence version 2, want 1") instead of
// playing it as a track.
type Licence struct {
	Version  int
	ID       string
	UserID   string
	DeviceID string
	Kind     string   // music.OfflineTrack or music.OfflineEpisode; "" is a track
	IDs      []string // the tracks' or episodes' IDs
	IssuedAt time.Time
	Expires  time.Time
}

// licenceWire is a licence as signed, in either version.
type licenceWire struct {
	Version  int       `json:"v"`
	ID       string    `json:"id"`
	UserID   string    `json:"user"`
	DeviceID string    `json:"device"`
	Kind     string    `json:"kind,omitempty"`   // version 2
	Tracks   []string  `json:"tracks,omitempty"` // version 1
	Items    []string  `json:"items,omitempty"`  // version 2
	IssuedAt time.Time `json:"iat"`
	Expires  time.Time `json:"exp"`
}

func (l Licence) wire() licenceWire {
	w := licenceWire{ID: l.ID, UserID: l.UserID, DeviceID: l.DeviceID, IssuedAt: l.IssuedAt, Expires: l.Expires}
	if l.Kind == "" || l.Kind == music.OfflineTrack {
		w.Version, w.Tracks = 1, l.IDs
	} else {
		w.Version, w.Kind, w.Items = 2, l.Kind, l.IDs
	}
	return w
}

func (w licenceWire) licence() (*Licence, error) {
	l := &Licence{Version: w.Version, ID: w.ID, UserID: w.UserID, DeviceID: w.DeviceID, IssuedAt: w.IssuedAt, Expires: w.Expires}
	switch {
	case w.Version == 1 && w.Kind == "" && w.Items == nil:
		l.Kind, l.IDs = music.OfflineTrack, w.Tracks
	case w.Version == 2 && w.Tracks == nil:
		l.Kind, l.IDs = w.Kind, w.Items
	case w.Version == 1 || w.Version == 2:
		return nil, music.Errorf(music.EINVALID, "licence: fields of another version in a version %d licence", w.Version)
	default:
		return nil, music.Errorf(music.EUNSUPPORTED, "licence version %d, want 1 or 2", w.Version)
	}
	return l, l.validate()
}

// Signer issues licences with an Ed25519 key.
type Signer struct{ key ed25519.PrivateKey }

// NewSigner makes a signer from a 32-byte Ed25519 seed.
func NewSigner(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, music.Errorf(music.EINVALID, "offline signing key: %d bytes, want a %d-byte Ed25519 seed", len(seed), ed25519.SeedSize)
	}
	return &Signer{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey is what clients verify licences with.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// Sign returns the licence as a token: base64url(JSON) "." base64url(sig),
// in the version its kind needs.
func (s *Signer) Sign(l Licence) (string, error) {
	if l.Kind == "" {
		l.Kind = music.OfflineTrack
	}
	if err := l.validate(); err != nil {
		return "", err
	}
	payload, err := json.Marshal(l.wire())
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(s.key, payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func (l *Licence) validate() error {
	if err := music.CheckOfflineKind("licence", l.Kind); err != nil {
		return err
	}
	switch {
	case l.ID == "" || l.UserID == "" || l.DeviceID == "":
		return music.Errorf(music.EINVALID, "licence: id, user and device are required")
	case len(l.IDs) == 0:
		return music.Errorf(music.EINVALID, "licence: no %ss", l.Kind)
	case !l.Expires.After(l.IssuedAt):
		return music.Errorf(music.EINVALID, "licence: expires before it is issued")
	}
	for _, id := range l.IDs {
		if id == "" {
			return music.Errorf(music.EINVALID, "licence: empty %s id", l.Kind)
		}
	}
	return nil
}

// ParseLicence checks a token's signature with pub and decodes it. It
// does not check expiry or whom it is for: Allows does.
func ParseLicence(pub ed25519.PublicKey, token string) (*Licence, error) {
	if len(token) > MaxLicenceSize {
		return nil, music.Errorf(music.EINVALID, "licence: %d bytes, over %d", len(token), MaxLicenceSize)
	}
	p, s, ok := strings.Cut(token, ".")
	if !ok {
		return nil, music.Errorf(music.EINVALID, "licence: not a signed token")
	}
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(s)
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize {
		return nil, music.Errorf(music.EINVALID, "licence: not a signed token")
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, payload, sig) {
		return nil, music.Errorf(music.EINVALID, "licence: signature does not verify (tampered or not from this service)")
	}
	var w licenceWire
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, music.Errorf(music.EINVALID, "licence: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, music.Errorf(music.EINVALID, "licence: data after the payload")
	}
	return w.licence()
}

// Allows says whether the licence lets device of user play item (a track
// or an episode) at now, and if not, why.
func (l *Licence) Allows(userID, deviceID string, item music.OfflineItem, now time.Time) error {
	if l.UserID != userID || l.DeviceID != deviceID {
		return music.Errorf(music.EFORBIDDEN, "licence %s is for another user or device", l.ID)
	}
	if !l.Covers(item) {
		return music.Errorf(music.EFORBIDDEN, "licence %s does not cover %s %s", l.ID, item.Kind, item.ID)
	}
	if !now.Before(l.Expires) {
		return music.Errorf(music.EFORBIDDEN, "licence for %s %s expired at %s: go online and sync to renew it", item.Kind, item.ID, l.Expires.UTC().Format(time.RFC3339))
	}
	if now.Before(l.IssuedAt.Add(-24 * time.Hour)) {
		return music.Errorf(music.EFORBIDDEN, "licence %s is not valid yet: the device clock is behind", l.ID)
	}
	return nil
}

// Covers says whether the licence names item, of its kind.
func (l *Licence) Covers(item music.OfflineItem) bool {
	return l.Kind == item.Kind && slices.Contains(l.IDs, item.ID)
}
