package offlinecrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	music "github.com/openmusic/music"
)

// A wrapped key is version ‖ ephemeral X25519 public key ‖ the content key
// sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
// ephemeral-device shared secret and the object's name.
const (
	wrapVersion = 1
	// WrappedKeySize is the length of a wrapped content key.
	WrappedKeySize = 1 + 32 + KeySize + Overhead
	// PublicKeySize is the length of an X25519 public key.
	PublicKeySize = 32
	wrapInfo      = "openmusic offline key wrap v1"
)

// DeviceKey is a device's X25519 key pair; only the device holds it.
type DeviceKey struct{ priv *ecdh.PrivateKey }

// NewDeviceKey makes a device key pair.
func NewDeviceKey() (*DeviceKey, error) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &DeviceKey{priv: k}, nil
}

// ParseDeviceKey reads a device private key from its 32 bytes.
func ParseDeviceKey(b []byte) (*DeviceKey, error) {
	k, err := ecdh.X25519().NewPrivateKey(b)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "device private key: %v", err)
	}
	return &DeviceKey{priv: k}, nil
}

// Bytes is the private key, for the device's own store.
func (k *DeviceKey) Bytes() []byte { return k.priv.Bytes() }

// Public is the public key a device enrols with.
func (k *DeviceKey) Public() []byte { return k.priv.PublicKey().Bytes() }

// ParsePublicKey checks an X25519 public key sent at enrolment, given in
// unpadded base64url or standard base64.
func ParsePublicKey(s string) ([]byte, error) {
	b, err := decodeBase64(s)
	if err != nil || len(b) != PublicKeySize {
		return nil, music.Errorf(music.EINVALID, "public_key: want %d bytes of X25519 key in base64url", PublicKeySize)
	}
	pub, err := ecdh.X25519().NewPublicKey(b)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "public_key: %v", err)
	}
	// A low-order point gives an all-zero shared secret whatever the
	// ephemeral key: refuse it now rather than wrap keys anyone can open.
	probe, _ := ecdh.X25519().GenerateKey(rand.Reader)
	if _, err := probe.ECDH(pub); err != nil {
		return nil, music.Errorf(music.EINVALID, "public_key: not a usable X25519 key")
	}
	return b, nil
}

// wrapKEK derives the key that seals one content key: HKDF-SHA256 of the
// shared secret, salted with both public keys, with the object's context
// in the info, so each object's key differs even under one ephemeral key.
func wrapKEK(shared, ephPub, devicePub []byte, context string) (cipher.AEAD, error) {
	salt := append(append([]byte{}, ephPub...), devicePub...)
	kek, err := hkdf.Key(sha256.New, shared, salt, wrapInfo+"\x00"+context, KeySize)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Wrapper wraps content keys to one device under one ephemeral key: a
// manifest of many tracks costs two X25519 operations, not two per track.
// Each wrap's key is derived with its own context, so it seals once and a
// zero nonce is safe.
type Wrapper struct {
	devicePub, ephPub, shared []byte
}

// NewWrapper starts wrapping to a device's public key.
func NewWrapper(devicePub []byte) (*Wrapper, error) {
	pub, err := ecdh.X25519().NewPublicKey(devicePub)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "device public key: %v", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "device public key: %v", err)
	}
	return &Wrapper{devicePub: devicePub, ephPub: eph.PublicKey().Bytes(), shared: shared}, nil
}

// Wrap seals a content key for the object named context (its blob key);
// context is bound, so a wrap cannot be moved to another object. A
// Wrapper must not wrap twice for one context.
func (w *Wrapper) Wrap(contentKey []byte, context string) ([]byte, error) {
	if len(contentKey) != KeySize {
		return nil, music.Errorf(music.EINVALID, "content key is %d bytes, want %d", len(contentKey), KeySize)
	}
	aead, err := wrapKEK(w.shared, w.ephPub, w.devicePub, context)
	if err != nil {
		return nil, err
	}
	out := append([]byte{wrapVersion}, w.ephPub...)
	return aead.Seal(out, make([]byte, 12), contentKey, []byte(context)), nil
}

// Wrap seals one content key to a device's public key under a fresh
// ephemeral key.
func Wrap(devicePub, contentKey []byte, context string) ([]byte, error) {
	w, err := NewWrapper(devicePub)
	if err != nil {
		return nil, err
	}
	return w.Wrap(contentKey, context)
}

// Unwrap opens a wrapped content key with the device's private key.
func (k *DeviceKey) Unwrap(wrapped []byte, context string) ([]byte, error) {
	if len(wrapped) != WrappedKeySize {
		return nil, music.Errorf(music.EINVALID, "wrapped key is %d bytes, want %d", len(wrapped), WrappedKeySize)
	}
	if wrapped[0] != wrapVersion {
		return nil, music.Errorf(music.EUNSUPPORTED, "wrapped key version %d, want %d", wrapped[0], wrapVersion)
	}
	ephPub, err := ecdh.X25519().NewPublicKey(wrapped[1:33])
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "wrapped key: %v", err)
	}
	shared, err := k.priv.ECDH(ephPub)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "wrapped key: bad ephemeral key")
	}
	aead, err := wrapKEK(shared, wrapped[1:33], k.Public(), context)
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, make([]byte, 12), wrapped[33:], []byte(context))
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "wrapped key for %s failed authentication (tampered, or wrapped for another device)", context)
	}
	return key, nil
}

// EncodeKey and decodeBase64 are how keys travel in JSON.
func EncodeKey(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// DecodeKey reads a key or wrapped key sent as EncodeKey wrote it.
func DecodeKey(s string) ([]byte, error) {
	b, err := decodeBase64(s)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "key: not base64url")
	}
	return b, nil
}
