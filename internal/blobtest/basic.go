package blobtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music"
)

func testRoundTrip(t *testing.T, s music.BlobStore) {
	body := []byte("OggS pretend audio \x00\x01\x02 bytes")
	sum := digest(body)
	for _, tc := range []struct {
		name string
		opts music.PutOptions
	}{
		{"no digest given", music.PutOptions{ContentType: "audio/ogg"}},
		{"digest given", music.PutOptions{ContentType: "audio/ogg", SHA256: sum}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "renditions/X/" + strings.ReplaceAll(tc.name, " ", "-") + ".ogg"
			info := put(t, s, key, body, tc.opts)
			if info.Key != key || info.Size != int64(len(body)) || info.SHA256 != sum || info.ContentType != "audio/ogg" {
				t.Fatalf("Put info = %+v, want key %s size %d sha %s type audio/ogg", info, key, len(body), sum)
			}
			got, ginfo := get(t, s, key)
			if !bytes.Equal(got, body) {
				t.Fatalf("Get = %q, want %q", got, body)
			}
			if ginfo.Key != key || ginfo.Size != info.Size || ginfo.SHA256 != sum || ginfo.ContentType != "audio/ogg" {
				t.Fatalf("Get info = %+v, want %+v", ginfo, info)
			}
		})
	}
}

func testEmpty(t *testing.T, s music.BlobStore) {
	info := put(t, s, "empty", nil, music.PutOptions{})
	if info.Size != 0 || info.SHA256 != digest(nil) {
		t.Fatalf("Put empty info = %+v", info)
	}
	got, ginfo := get(t, s, "empty")
	if len(got) != 0 || ginfo.SHA256 != digest(nil) {
		t.Fatalf("Get empty = %q, %+v", got, ginfo)
	}
	if info.ContentType != "application/octet-stream" || ginfo.ContentType != info.ContentType {
		t.Fatalf("default content type: Put %q, Get %q, want application/octet-stream", info.ContentType, ginfo.ContentType)
	}
}

func testOverwrite(t *testing.T, s music.BlobStore) {
	put(t, s, "k", []byte("first version, long"), music.PutOptions{ContentType: "text/plain"})
	put(t, s, "k", []byte("second"), music.PutOptions{ContentType: "application/octet-stream"})
	got, info := get(t, s, "k")
	if string(got) != "second" || info.Size != 6 || info.SHA256 != digest([]byte("second")) || info.ContentType != "application/octet-stream" {
		t.Fatalf("after overwrite Get = %q, %+v", got, info)
	}
	if n := len(listAll(t, s, "")); n != 1 {
		t.Fatalf("List after overwrite has %d objects, want 1", n)
	}
}

func testStat(t *testing.T, s music.BlobStore) {
	before := time.Now().Add(-time.Minute)
	body := []byte("stat me")
	put(t, s, "a/stat", body, music.PutOptions{ContentType: "text/plain"})
	info, err := s.Stat(context.Background(), "a/stat")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Key != "a/stat" || info.Size != int64(len(body)) || info.SHA256 != digest(body) || info.ContentType != "text/plain" {
		t.Fatalf("Stat = %+v", info)
	}
	if info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(time.Minute)) {
		t.Fatalf("Stat ModTime %v is not about now", info.ModTime)
	}
}

func testDelete(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	put(t, s, "d/x", []byte("x"), music.PutOptions{})
	put(t, s, "d/y", []byte("y"), music.PutOptions{})
	for i := 0; i < 2; i++ {
		if err := s.Delete(ctx, "d/x"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	if err := s.Delete(ctx, "never/was"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	wantAbsent(t, s, "d/x")
	if got, _ := get(t, s, "d/y"); string(got) != "y" {
		t.Fatalf("sibling changed by Delete: %q", got)
	}
	// A deleted key can be written again.
	put(t, s, "d/x", []byte("again"), music.PutOptions{})
	if got, _ := get(t, s, "d/x"); string(got) != "again" {
		t.Fatalf("re-put after Delete = %q", got)
	}
}

func testNotFound(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	put(t, s, "dir/obj", []byte("x"), music.PutOptions{})
	for _, key := range []string{"missing", "dir", "dir/missing", "dir/obj/deeper"} {
		wantAbsent(t, s, key)
		rc, _, err := s.GetRange(ctx, key, 0, 1)
		if err == nil {
			rc.Close()
		}
		wantCode(t, "GetRange("+key+")", err, music.ENOTFOUND)
	}
}
