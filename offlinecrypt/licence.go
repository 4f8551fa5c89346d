package offlinecrypt

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// MaxLicenceSize bounds a licence token before it is decoded.
const MaxLicenceSize = 16 << 10

// Licence lets one device of one user play some tracks until Expires. The
// server signs it; the client checks it with the server's public key
// before every play, with no network.
type Licence struct {
	Version  int       `json:"v"`
	ID       string    `json:"id"`
	UserID   string    `json:"user"`
	DeviceID string    `json:"device"`
	TrackIDs []string  `json:"tracks"`
	IssuedAt time.Time `json:"iat"`
	Expires  time.Time `json:"exp"`
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

// Sign returns the licence as a token: base64url(JSON) "." base64url(sig).
func (s *Signer) Sign(l Licence) (string, error) {
	l.Version = 1
	if err := l.validate(); err != nil {
		return "", err
	}
	payload, err := json.Marshal(l)
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(s.key, payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func (l *Licence) validate() error {
	switch {
	case l.Version != 1:
		return music.Errorf(music.EUNSUPPORTED, "licence version %d, want 1", l.Version)
	case l.ID == "" || l.UserID == "" || l.DeviceID == "":
		return music.Errorf(music.EINVALID, "licence: id, user and device are required")
	case len(l.TrackIDs) == 0:
		return music.Errorf(music.EINVALID, "licence: no tracks")
	case !l.Expires.After(l.IssuedAt):
		return music.Errorf(music.EINVALID, "licence: expires before it is issued")
	}
	for _, id := range l.TrackIDs {
		if id == "" {
			return music.Errorf(music.EINVALID, "licence: empty track id")
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
	var l Licence
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, music.Errorf(music.EINVALID, "licence: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, music.Errorf(music.EINVALID, "licence: data after the payload")
	}
	if err := l.validate(); err != nil {
		return nil, err
	}
	return &l, nil
}

// Allows says whether the licence lets device of user play track at now,
// and if not, why.
func (l *Licence) Allows(userID, deviceID, trackID string, now time.Time) error {
	if l.UserID != userID || l.DeviceID != deviceID {
		return music.Errorf(music.EFORBIDDEN, "licence %s is for another user or device", l.ID)
	}
	found := false
	for _, id := range l.TrackIDs {
		found = found || id == trackID
	}
	if !found {
		return music.Errorf(music.EFORBIDDEN, "licence %s does not cover track %s", l.ID, trackID)
	}
	if !now.Before(l.Expires) {
		return music.Errorf(music.EFORBIDDEN, "licence for track %s expired at %s: go online and sync to renew it", trackID, l.Expires.UTC().Format(time.RFC3339))
	}
	if now.Before(l.IssuedAt.Add(-24 * time.Hour)) {
		return music.Errorf(music.EFORBIDDEN, "licence %s is not valid yet: the device clock is behind", l.ID)
	}
	return nil
}
