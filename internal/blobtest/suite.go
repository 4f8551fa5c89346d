// Package blobtest is the conformance suite for music.BlobStore. Every
// backend's tests call Run with a constructor for fresh, empty stores and
// a hook that corrupts a stored object through the backend's own means.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"github.com/openmusic/music"
)

// Corrupter changes the stored bytes of key behind the store's back (same
// size, recorded SHA-256 left as it was), so that a later Get must notice.
type Corrupter func(t *testing.T, s music.BlobStore, key string)

// Run runs the whole suite. newStore must return an empty store that the
// subtest owns; corrupt must damage an existing object in that store.
func Run(t *testing.T, newStore func(t *testing.T) music.BlobStore, corrupt Corrupter) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s music.BlobStore)
	}{
		{"RoundTrip", testRoundTrip},
		{"Empty", testEmpty},
		{"Overwrite", testOverwrite},
		{"PutMismatchStoresNothing", testPutMismatch},
		{"PutReaderErrorStoresNothing", testPutReaderError},
		{"Corrupted", func(t *testing.T, s music.BlobStore) { testCorrupted(t, s, corrupt) }},
		{"Ranges", testRanges},
		{"Stat", testStat},
		{"DeleteIdempotent", testDelete},
		{"ListOrder", testList},
		{"NotFound", testNotFound},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Large", testLarge},
		{"KeyValidation", testKeyValidation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

// digest returns the lowercase hex SHA-256 of b.
func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// put stores b under key and fails the test on error.
func put(t *testing.T, s music.BlobStore, key string, b []byte, opts music.PutOptions) music.BlobInfo {
	t.Helper()
	info, err := s.Put(context.Background(), key, bytes.NewReader(b), opts)
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

// get reads the whole object and fails the test on error.
func get(t *testing.T, s music.BlobStore, key string) ([]byte, music.BlobInfo) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q) read: %v", key, err)
	}
	return b, info
}

// wantCode fails unless err carries the domain code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := music.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

// wantAbsent fails unless key is missing for Stat and Get.
func wantAbsent(t *testing.T, s music.BlobStore, key string) {
	t.Helper()
	_, err := s.Stat(context.Background(), key)
	wantCode(t, "Stat("+key+")", err, music.ENOTFOUND)
	rc, _, err := s.Get(context.Background(), key)
	if err == nil {
		rc.Close()
	}
	wantCode(t, "Get("+key+")", err, music.ENOTFOUND)
}

// listAll returns the keys List reports for prefix.
func listAll(t *testing.T, s music.BlobStore, prefix string) []music.BlobInfo {
	t.Helper()
	var out []music.BlobInfo
	err := s.List(context.Background(), prefix, func(bi music.BlobInfo) error {
		out = append(out, bi)
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return out
}

// errReader fails after n bytes, like a network stream that breaks.
type errReader struct {
	r io.Reader
}

var errBroken = errors.New("stream broke")

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, errBroken
	}
	return n, err
}
