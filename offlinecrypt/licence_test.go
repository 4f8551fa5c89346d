package offlinecrypt

import (
	"strings"
	"testing"
	"time"
)

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
	l := Licence{ID: "L1", UserID: "u1", DeviceID: "d1", TrackIDs: []string{"t1", "t2"}, IssuedAt: now, Expires: now.Add(30 * 24 * time.Hour)}
	tok, err := s.Sign(l)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseLicence(s.PublicKey(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Allows("u1", "d1", "t2", now.Add(29*24*time.Hour)); err != nil {
		t.Fatalf("within the window: %v", err)
	}
	refusals := map[string]error{
		"expired":        got.Allows("u1", "d1", "t1", now.Add(30*24*time.Hour)),
		"another user":   got.Allows("u2", "d1", "t1", now),
		"another device": got.Allows("u1", "d2", "t1", now),
		"another track":  got.Allows("u1", "d1", "t3", now),
		"clock behind":   got.Allows("u1", "d1", "t1", now.Add(-48*time.Hour)),
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
		{UserID: "u", DeviceID: "d", TrackIDs: []string{"t"}, IssuedAt: now, Expires: now.Add(time.Hour)},
		{ID: "L", UserID: "u", DeviceID: "d", IssuedAt: now, Expires: now.Add(time.Hour)},
		{ID: "L", UserID: "u", DeviceID: "d", TrackIDs: []string{"t"}, IssuedAt: now, Expires: now},
		{ID: "L", UserID: "u", DeviceID: "d", TrackIDs: []string{""}, IssuedAt: now, Expires: now.Add(time.Hour)},
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
