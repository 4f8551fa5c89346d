package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/openmusic/music"
)

// midSize is big enough that a store uploading in parts uses more than one.
const midSize = 6<<20 + 12345

func testPutMismatch(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	body := []byte("the real bytes")
	wrong := digest([]byte("other bytes"))

	_, err := s.Put(ctx, "m/new", bytes.NewReader(body), music.PutOptions{SHA256: wrong})
	wantCode(t, "Put with wrong SHA-256", err, music.EINVALID)
	wantAbsent(t, s, "m/new")

	_, err = s.Put(ctx, "m/new", bytes.NewReader(body), music.PutOptions{SHA256: "ABC"})
	wantCode(t, "Put with malformed SHA-256", err, music.EINVALID)
	wantAbsent(t, s, "m/new")

	// A failed overwrite keeps the earlier object whole.
	put(t, s, "m/old", []byte("v1"), music.PutOptions{})
	_, err = s.Put(ctx, "m/old", bytes.NewReader(body), music.PutOptions{SHA256: wrong})
	wantCode(t, "overwrite with wrong SHA-256", err, music.EINVALID)
	if got, _ := get(t, s, "m/old"); string(got) != "v1" {
		t.Fatalf("failed overwrite changed the object to %q", got)
	}

	// The same for a stream large enough to be sent in parts.
	big := rand.NewChaCha8([32]byte{1})
	_, err = s.Put(ctx, "m/big", io.LimitReader(big, midSize), music.PutOptions{SHA256: wrong})
	wantCode(t, "large Put with wrong SHA-256", err, music.EINVALID)
	wantAbsent(t, s, "m/big")
	if got := listAll(t, s, ""); len(got) != 1 || got[0].Key != "m/old" {
		t.Fatalf("List after failed puts = %+v, want only m/old", got)
	}
}

func testPutReaderError(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	for _, size := range []int64{100, midSize} {
		src := io.LimitReader(rand.NewChaCha8([32]byte{2}), size)
		_, err := s.Put(ctx, "broken", &errReader{r: src}, music.PutOptions{})
		if err == nil || !errors.Is(err, errBroken) {
			t.Fatalf("Put of a breaking %d-byte stream = %v, want the stream's error", size, err)
		}
		wantAbsent(t, s, "broken")
	}

	// A cancelled context stops the upload and stores nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Put(cctx, "cancelled", strings.NewReader("data"), music.PutOptions{})
	if err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	wantAbsent(t, s, "cancelled")
	if got := listAll(t, s, ""); len(got) != 0 {
		t.Fatalf("List after failed puts = %+v, want nothing", got)
	}
}

func testCorrupted(t *testing.T, s music.BlobStore, corrupt Corrupter) {
	body := bytes.Repeat([]byte("pristine audio "), 1000)
	put(t, s, "c/obj", body, music.PutOptions{})
	corrupt(t, s, "c/obj")

	rc, _, err := s.Get(context.Background(), "c/obj")
	if err != nil {
		// Refusing to open a corrupt object is also a detection, if it
		// says which object.
		if !strings.Contains(err.Error(), "c/obj") {
			t.Fatalf("Get error %v does not name the key", err)
		}
		return
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err == nil {
		t.Fatalf("read %d bytes of a corrupted object without error", len(got))
	}
	if !strings.Contains(err.Error(), "c/obj") {
		t.Fatalf("corruption error %q does not name the key", err)
	}
	if bytes.Equal(got, body) {
		t.Fatal("corrupter did not change the stored bytes")
	}
}
