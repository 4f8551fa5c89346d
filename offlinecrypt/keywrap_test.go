package offlinecrypt

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrapUnwrap(t *testing.T) {
	dev, err := NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewDeviceKey()
	key := NewKey()
	wrapped, err := Wrap(dev.Public(), key, "offline/t1/160.mofl")
	if err != nil {
		t.Fatal(err)
	}
	if len(wrapped) != WrappedKeySize {
		t.Fatalf("wrapped %d bytes", len(wrapped))
	}
	got, err := dev.Unwrap(wrapped, "offline/t1/160.mofl")
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := other.Unwrap(wrapped, "offline/t1/160.mofl"); err == nil || !strings.Contains(err.Error(), "another device") {
		t.Fatalf("another device unwrapped: %v", err)
	}
	if _, err := dev.Unwrap(wrapped, "offline/t2/160.mofl"); err == nil {
		t.Fatal("unwrapped under another object's name")
	}
	for i := range wrapped {
		bad := append([]byte{}, wrapped...)
		bad[i] ^= 1
		if _, err := dev.Unwrap(bad, "offline/t1/160.mofl"); err == nil {
			t.Fatalf("byte %d flipped and still unwrapped", i)
		}
	}
	again, err := ParseDeviceKey(dev.Bytes())
	if err != nil || !bytes.Equal(again.Public(), dev.Public()) {
		t.Fatalf("device key round trip: %v", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	dev, _ := NewDeviceKey()
	if b, err := ParsePublicKey(EncodeKey(dev.Public())); err != nil || !bytes.Equal(b, dev.Public()) {
		t.Fatalf("good key: %v", err)
	}
	lowOrder := make([]byte, 32) // the identity: every shared secret is zero
	for _, s := range []string{"", "!!", EncodeKey([]byte("short")), EncodeKey(lowOrder)} {
		if _, err := ParsePublicKey(s); err == nil {
			t.Errorf("public key %q accepted", s)
		}
	}
}

// TestWrapperSharesOneEphemeralKey: wraps of one Wrapper open with the
// device key, each only under its own object's name.
func TestWrapperSharesOneEphemeralKey(t *testing.T) {
	dev, _ := NewDeviceKey()
	w, err := NewWrapper(dev.Public())
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := NewKey(), NewKey()
	w1, _ := w.Wrap(k1, "offline/a")
	w2, _ := w.Wrap(k2, "offline/b")
	if !bytes.Equal(w1[1:33], w2[1:33]) {
		t.Fatal("a Wrapper used two ephemeral keys")
	}
	if got, err := dev.Unwrap(w1, "offline/a"); err != nil || !bytes.Equal(got, k1) {
		t.Fatalf("first wrap: %v", err)
	}
	if got, err := dev.Unwrap(w2, "offline/b"); err != nil || !bytes.Equal(got, k2) {
		t.Fatalf("second wrap: %v", err)
	}
	if _, err := dev.Unwrap(w2, "offline/a"); err == nil {
		t.Fatal("a wrap opened under another object's name")
	}
}
