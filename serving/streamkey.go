package serving

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// LoadStreamKey reads the hex stream-signing key kept at path, creating
// the file with a fresh random key when it does not exist yet.
//
// Creation is atomic: the key is written to a new file (O_EXCL, mode
// 0600) and hard-linked into place, which fails if path exists. So
// processes starting together on one data dir never each keep a key of
// their own, and nobody ever reads a half-written file.
func LoadStreamKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = createStreamKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("stream key %s: %v", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("stream key %s: not hex: %v", path, err)
	}
	return key, nil
}

// createStreamKey publishes a new key at path, or returns the one another
// process published first.
func createStreamKey(path string) ([]byte, error) {
	k := make([]byte, MinStreamKeyBytes)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	b := []byte(hex.EncodeToString(k) + "\n")
	// CreateTemp opens with O_EXCL and mode 0600.
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path) // another process won; its key is complete
	} else if err != nil {
		return nil, err
	}
	return b, nil
}
