package offlinecrypt

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func track(id string) music.OfflineItem { return music.OfflineItem{Kind: music.OfflineTrack, ID: id} }

func testSigner(t testing.TB) *Signer {
	s, err := NewSigner(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLicence(t *testing.T) {
	s := testSigner(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l := Licence{ID: "L1", UserID: "u1", DeviceID: "d1", IDs: []string{"t1", "t2"}, IssuedAt: now, Expires: now.Add(30 * 24 * time.Hour)}
	tok, err := s.Sign(l)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseLicence(s.PublicKey(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Allows("u1", "d1", track("t2"), now.Add(29*24*time.Hour)); err != nil {
		t.Fatalf("within the window: %v", err)
	}
	refusals := map[string]error{
		"expired":        got.Allows("u1", "d1", track("t1"), now.Add(30*24*time.Hour)),
		"another user":   got.Allows("u2", "d1", track("t1"), now),
		"another device": got.Allows("u1", "d2", track("t1"), now),
		"another track":  got.Allows("u1", "d1", track("t3"), now),
		"an episode":     got.Allows("u1", "d1", music.OfflineItem{Kind: music.OfflineEpisode, ID: "t1"}, now),
		"clock behind":   got.Allows("u1", "d1", track("t1"), now.Add(-48*time.Hour)),
	}
	for name, err := range refusals {
		if err == nil {
			t.Errorf("%s: allowed", name)
		}
	}
	if !strings.Contains(refusals["expired"].Error(), "expired") {
		t.Errorf("expiry message: %v", refusals["expired"])
	}
	for i := range tok {
		if tok[i] == '.' {
			continue
		}
		bad := []byte(tok)
		bad[i] ^= 1
		if _, err := ParseLicence(s.PublicKey(), string(bad)); err == nil {
			t.Fatalf("byte %d flipped and still verified", i)
		}
	}
	other, _ := NewSigner(append(make([]byte, 31), 1))
	if _, err := ParseLicence(other.PublicKey(), tok); err == nil {
		t.Fatal("verified with another service's key")
	}
}

func TestSignRefusesIncompleteLicences(t *testing.T) {
	s := testSigner(t)
	now := time.Now()
	for _, l := range []Licence{
		{UserID: "u", DeviceID: "d", IDs: []string{"t"}, IssuedAt: now, Expires: now.Add(time.Hour)},
		{ID: "L", UserID: "u", DeviceID: "d", IssuedAt: now, Expires: now.Add(time.Hour)},
		{ID: "L", UserID: "u", DeviceID: "d", IDs: []string{"t"}, IssuedAt: now, Expires: now},
		{ID: "L", UserID: "u", DeviceID: "d", IDs: []string{""}, IssuedAt: now, Expires: now.Add(time.Hour)},
	} {
		if _, err := s.Sign(l); err == nil {
			t.Errorf("signed %+v", l)
		}
	}
}

func TestKeyring(t *testing.T) {
	k, err := NewKeyring(make([]byte, SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	key := NewKey()
	sealed := k.SealKey(key, "offline/a.mofl")
	if got, err := k.OpenKey(sealed, "offline/a.mofl"); err != nil || string(got) != string(key) {
		t.Fatalf("open: %v", err)
	}
	if _, err := k.OpenKey(sealed, "offline/b.mofl"); err == nil {
		t.Fatal("opened under another blob key")
	}
	other, _ := NewKeyring(append(make([]byte, SeedSize-1), 1))
	if _, err := other.OpenKey(sealed, "offline/a.mofl"); err == nil {
		t.Fatal("opened with another secret")
	}
	if _, err := NewKeyring([]byte("short")); err == nil {
		t.Fatal("short secret accepted")
	}
}

// TestLicenceVersions: a track licence is still signed as version 1, in
// the shape every licence issued before episodes has, and so still
// verifies; an episode licence is version 2 with its kind, and covers the
// episode only.
func TestLicenceVersions(t *testing.T) {
	s := testSigner(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	base := Licence{ID: "L1", UserID: "u1", DeviceID: "d1", IDs: []string{"x1"}, IssuedAt: now, Expires: now.Add(time.Hour)}
	payloadOf := func(tok string) map[string]any {
		p, _, _ := strings.Cut(tok, ".")
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	trackTok, err := s.Sign(base)
	if err != nil {
		t.Fatal(err)
	}
	if m := payloadOf(trackTok); m["v"] != 1.0 || m["kind"] != nil || m["items"] != nil || m["tracks"] == nil {
		t.Errorf("track licence payload %v, want version 1 with tracks", m)
	}
	// A version 1 token made before episodes, byte for byte as then.
	v1 := `{"v":1,"id":"L0","user":"u1","device":"d1","tracks":["x1"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`
	old := base64.RawURLEncoding.EncodeToString([]byte(v1)) + "." + base64.RawURLEncoding.EncodeToString(ed25519Sign(s, []byte(v1)))
	if l, err := ParseLicence(s.PublicKey(), old); err != nil || l.Allows("u1", "d1", track("x1"), now) != nil || l.Version != 1 {
		t.Fatalf("a version 1 licence: %+v, %v", l, err)
	}
	ep := base
	ep.Kind = music.OfflineEpisode
	epTok, err := s.Sign(ep)
	if err != nil {
		t.Fatal(err)
	}
	if m := payloadOf(epTok); m["v"] != 2.0 || m["kind"] != "episode" || m["items"] == nil || m["tracks"] != nil {
		t.Errorf("episode licence payload %v, want version 2 with kind and items", m)
	}
	l, err := ParseLicence(s.PublicKey(), epTok)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Allows("u1", "d1", music.OfflineItem{Kind: music.OfflineEpisode, ID: "x1"}, now); err != nil {
		t.Errorf("the episode: %v", err)
	}
	if err := l.Allows("u1", "d1", track("x1"), now); err == nil || !strings.Contains(err.Error(), "does not cover track x1") {
		t.Errorf("an episode licence played its ID as a track: %v", err)
	}
	for name, payload := range map[string]string{
		"version 1 with a kind":   `{"v":1,"id":"L","user":"u","device":"d","kind":"episode","tracks":["x"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`,
		"version 2 with tracks":   `{"v":2,"id":"L","user":"u","device":"d","kind":"episode","tracks":["x"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`,
		"version 2 without kind":  `{"v":2,"id":"L","user":"u","device":"d","items":["x"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`,
		"version 2, unknown kind": `{"v":2,"id":"L","user":"u","device":"d","kind":"video","items":["x"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`,
		"version 3":               `{"v":3,"id":"L","user":"u","device":"d","items":["x"],"iat":"2026-12-01T00:00:00Z","exp":"2026-12-01T01:00:00Z"}`,
	} {
		tok := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(ed25519Sign(s, []byte(payload)))
		if l, err := ParseLicence(s.PublicKey(), tok); err == nil {
			t.Errorf("%s: parsed %+v", name, l)
		}
	}
	if _, err := s.Sign(Licence{ID: "L", UserID: "u", DeviceID: "d", Kind: "video", IDs: []string{"x"}, IssuedAt: now, Expires: now.Add(time.Hour)}); err == nil {
		t.Error("signed a licence of an unknown kind")
	}
}

// ed25519Sign signs a hand-made payload with the signer's key.
func ed25519Sign(s *Signer, payload []byte) []byte { return ed25519.Sign(s.key, payload) }
