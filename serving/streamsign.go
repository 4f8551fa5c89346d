package serving

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// MinStreamKeyBytes is the shortest HMAC key NewStreamSigner accepts.
const MinStreamKeyBytes = 32

// StreamSigner signs audio URLs so that a URL handed to a player (or a
// CDN) works until it expires and cannot be edited into another one.
//
// A signed URL is BASE + PATH + "?exp=UNIX&t=TERRITORY&sig=MAC" where MAC
// is the unpadded base64url HMAC-SHA256 under the key of
// "PATH\nUNIX\nTERRITORY": the URL is a grant for one listener territory
// and cannot be edited into another (see Server.GeoHeader). A URL without
// t is unrestricted and its MAC covers "PATH\nUNIX" only; the catalog
// never issues one (tools and older URLs do). Expiries
// are rounded up to a multiple of Granularity, so every URL for one file
// issued within the same window is byte-identical and a CDN caches it once.
type StreamSigner struct {
	key []byte
	// TTL is the shortest lifetime of a fresh URL.
	TTL time.Duration
	// Granularity rounds expiries up (default: TTL/4, at least 1 s).
	Granularity time.Duration
	// BaseURL, e.g. https://cdn.example.com, goes in front of every path;
	// empty means relative URLs on this server.
	BaseURL string
	// Now is the clock; time.Now by default.
	Now func() time.Time
}

// NewStreamSigner returns a signer with key, URLs valid for at least ttl,
// in front of baseURL (may be empty). A short key or a non-positive ttl is
// EINVALID.
func NewStreamSigner(key []byte, ttl time.Duration, baseURL string) (*StreamSigner, error) {
	if len(key) < MinStreamKeyBytes {
		return nil, music.Errorf(music.EINVALID, "stream signing key: %d bytes, want at least %d", len(key), MinStreamKeyBytes)
	}
	if ttl <= 0 {
		return nil, music.Errorf(music.EINVALID, "stream URL lifetime %v: want > 0", ttl)
	}
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return nil, music.Errorf(music.EINVALID, "CDN base URL %q: want http(s)://host[/path] without a query", baseURL)
		}
	}
	return &StreamSigner{key: append([]byte(nil), key...), TTL: ttl,
		BaseURL: strings.TrimSuffix(baseURL, "/"), Now: time.Now}, nil
}

// Sign returns an unrestricted signed URL of path (which starts with
// "/"), valid in any territory. The catalog uses SignFor.
func (s *StreamSigner) Sign(path string) string { return s.SignFor(path, "") }

// SignFor returns the signed URL of path for a listener in territory (an
// ISO 3166-1 alpha-2 code).
func (s *StreamSigner) SignFor(path, territory string) string {
	g := s.Granularity
	if g <= 0 {
		g = max(s.TTL/4, time.Second)
	}
	gs := int64(g / time.Second)
	exp := s.Now().Add(s.TTL).Unix()
	exp = (exp + gs - 1) / gs * gs
	e := strconv.FormatInt(exp, 10)
	t := ""
	if territory != "" {
		t = "&t=" + url.QueryEscape(territory)
	}
	return s.BaseURL + path + "?exp=" + e + t + "&sig=" + s.mac(path, e, territory)
}

// Verify checks the exp, t and sig query values of a request for path
// and returns the territory the URL was issued for ("" when
// unrestricted). A missing signature is EUNAUTHORIZED; a bad or expired
// one is EFORBIDDEN.
func (s *StreamSigner) Verify(path string, q url.Values) (territory string, err error) {
	exp, sig, territory := q.Get("exp"), q.Get("sig"), q.Get("t")
	if exp == "" || sig == "" {
		return "", music.Errorf(music.EUNAUTHORIZED, "audio URL is not signed: exp and sig query parameters are required")
	}
	if !hmac.Equal([]byte(sig), []byte(s.mac(path, exp, territory))) {
		return "", music.Errorf(music.EFORBIDDEN, "audio URL signature does not match")
	}
	t, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return "", music.Errorf(music.EFORBIDDEN, "audio URL exp %q is not a Unix time", exp)
	}
	if s.Now().Unix() >= t {
		return "", music.Errorf(music.EFORBIDDEN, "audio URL expired at %s", time.Unix(t, 0).UTC().Format(time.RFC3339))
	}
	return territory, nil
}

func (s *StreamSigner) mac(path, exp, territory string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(path))
	m.Write([]byte{'\n'})
	m.Write([]byte(exp))
	if territory != "" {
		m.Write([]byte{'\n'})
		m.Write([]byte(territory))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
