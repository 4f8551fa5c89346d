package ingest

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/openmusic/music/internal/blobcheck"
	"hash"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// CleanURI checks a resource URI from a message and returns the relative
// slash-separated path it names inside the delivery folder. It refuses
// anything that could reach outside the folder or means something else on
// another system: schemes, absolute paths, drive letters, backslashes, ".."
// segments (also when percent-encoded), control characters and empty names.
func CleanURI(uri string) (string, error) {
	if uri == "" {
		return "", errors.New("URI is empty")
	}
	if strings.ContainsRune(uri, '\\') {
		return "", fmt.Errorf("URI %q contains a backslash", uri)
	}
	if i := strings.IndexAny(uri, ":/?#"); i >= 0 && uri[i] == ':' {
		return "", fmt.Errorf("URI %q has a scheme or drive letter; only relative paths are accepted", uri)
	}
	if strings.ContainsAny(uri, "?#") {
		return "", fmt.Errorf("URI %q has a query or fragment", uri)
	}
	p, err := url.PathUnescape(uri)
	if err != nil {
		return "", fmt.Errorf("URI %q has a bad percent-escape", uri)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return "", fmt.Errorf("URI %q contains a control character", uri)
		}
	}
	if strings.ContainsRune(p, '\\') {
		return "", fmt.Errorf("URI %q contains an encoded backslash", uri)
	}
	if strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("URI %q is an absolute path", uri)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", fmt.Errorf("URI %q contains a \"..\" segment", uri)
		}
	}
	clean := path.Clean(p)
	if clean == "." || strings.HasSuffix(p, "/") {
		return "", fmt.Errorf("URI %q names a folder, not a file", uri)
	}
	return clean, nil
}

// resolveFile finds the file a clean URI names inside root (an absolute,
// symlink-free folder) and makes sure that, symlinks followed, it is a
// regular file still inside root. A bare file name that is not beside the
// message is also looked for in resources/, where DDEX batches keep files.
// It returns the path relative to root.
func resolveFile(root, rel string) (string, error) {
	candidates := []string{rel}
	if !strings.Contains(rel, "/") {
		candidates = append(candidates, "resources/"+rel)
	}
	var lastErr error
	for _, c := range candidates {
		full := filepath.Join(root, filepath.FromSlash(c))
		real, err := filepath.EvalSymlinks(full)
		if errors.Is(err, os.ErrNotExist) {
			lastErr = err
			continue
		}
		if err != nil {
			return "", err
		}
		if !within(root, real) {
			return "", fmt.Errorf("%s is a symlink leading outside the delivery folder", c)
		}
		st, err := os.Stat(real)
		if err != nil {
			return "", err
		}
		if !st.Mode().IsRegular() {
			return "", fmt.Errorf("%s is not a regular file", c)
		}
		return c, nil
	}
	return "", lastErr
}

// within reports whether p is root or below it; both must be clean.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// newHash returns the hash for a DDEX HashSumAlgorithmType. MD5, SHA-1
// and SHA-2 are accepted, spelt with or without the hyphen.
func newHash(algorithm string) (hash.Hash, error) {
	switch strings.ToUpper(strings.ReplaceAll(algorithm, "-", "")) {
	case "MD5":
		return md5.New(), nil
	case "SHA1":
		return sha1.New(), nil
	case "SHA256":
		return sha256.New(), nil
	case "SHA512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("hash algorithm %q is not supported (use MD5, SHA1 or SHA256)", algorithm)
}

// fileHash streams the file at path through the algorithm's hash and
// returns the lower-case hex digest. Memory stays constant for any size.
func fileHash(ctx context.Context, algorithm, path string) (string, error) {
	h, err := newHash(algorithm)
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, blobcheck.ContextReader(ctx, f)); err != nil {
		return "", fmt.Errorf("hash %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
