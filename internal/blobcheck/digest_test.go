package blobcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/openmusic/music"
)

func TestSHA256Hex(t *testing.T) {
	good := hex.EncodeToString(make([]byte, 32))
	tests := []struct {
		in string
		ok bool
	}{
		{good, true},
		{strings.Repeat("af09", 16), true},
		{strings.ToUpper(strings.Repeat("af09", 16)), false},
		{good[:63], false},
		{good + "0", false},
		{strings.Repeat("g", 64), false},
		{"", false},
	}
	for _, tt := range tests {
		err := SHA256Hex(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("SHA256Hex(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err != nil && music.ErrorCode(err) != music.EINVALID {
			t.Errorf("SHA256Hex(%q) code %s", tt.in, music.ErrorCode(err))
		}
	}
}

func TestVerifier(t *testing.T) {
	body := "hello, blob"
	sum := sha256.Sum256([]byte(body))
	want := hex.EncodeToString(sum[:])

	t.Run("match", func(t *testing.T) {
		v := NewVerifier(io.NopCloser(strings.NewReader(body)), "k", want)
		got, err := io.ReadAll(v)
		if err != nil || string(got) != body {
			t.Fatalf("ReadAll = %q, %v", got, err)
		}
	})
	t.Run("mismatch", func(t *testing.T) {
		v := NewVerifier(io.NopCloser(strings.NewReader("hello, blub")), "some/key", want)
		_, err := io.ReadAll(v)
		if err == nil || !strings.Contains(err.Error(), "some/key") || !strings.Contains(err.Error(), want) {
			t.Fatalf("ReadAll err = %v, want corruption error naming key and digest", err)
		}
		if _, err2 := v.Read(make([]byte, 1)); err2 != err {
			t.Fatalf("second Read = %v, want the same sticky error", err2)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		v := NewVerifier(io.NopCloser(strings.NewReader(body[:5])), "k", want)
		if _, err := io.ReadAll(v); err == nil {
			t.Fatal("truncated body read without error")
		}
	})
}
