package offlinecrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"

	music "github.com/openmusic/music"
)

// SeedSize is the length of the server's offline secret (--offline-key).
const SeedSize = 32

// Keyring is what the server derives from its one offline secret: the
// licence signer and the key that seals content keys at rest, so a copy
// of the database alone opens no encrypted object.
type Keyring struct {
	Signer *Signer
	atRest cipher.AEAD
}

// NewKeyring derives the keyring from a SeedSize-byte secret.
func NewKeyring(seed []byte) (*Keyring, error) {
	if len(seed) != SeedSize {
		return nil, music.Errorf(music.EINVALID, "offline key: %d bytes, want %d", len(seed), SeedSize)
	}
	signSeed, err := hkdf.Key(sha256.New, seed, nil, "openmusic offline licence signing v1", 32)
	if err != nil {
		return nil, err
	}
	restKey, err := hkdf.Key(sha256.New, seed, nil, "openmusic offline content keys at rest v1", KeySize)
	if err != nil {
		return nil, err
	}
	signer, err := NewSigner(signSeed)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(restKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keyring{Signer: signer, atRest: aead}, nil
}

// SealKey seals a content key for the database, bound to the object's
// blob key: nonce ‖ ciphertext.
func (k *Keyring) SealKey(contentKey []byte, blobKey string) []byte {
	nonce := make([]byte, k.atRest.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("offlinecrypt: no randomness: " + err.Error())
	}
	return k.atRest.Seal(nonce, nonce, contentKey, []byte(blobKey))
}

// OpenKey opens what SealKey sealed.
func (k *Keyring) OpenKey(sealed []byte, blobKey string) ([]byte, error) {
	n := k.atRest.NonceSize()
	if len(sealed) < n {
		return nil, music.Errorf(music.EINTERNAL, "sealed content key of %s is too short", blobKey)
	}
	key, err := k.atRest.Open(nil, sealed[:n], sealed[n:], []byte(blobKey))
	if err != nil {
		return nil, music.Errorf(music.EINTERNAL, "sealed content key of %s does not open: was --offline-key changed?", blobKey)
	}
	return key, nil
}
