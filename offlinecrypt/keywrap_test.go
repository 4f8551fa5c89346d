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
