package blobtest

import (
	"context"
	"strings"
	"testing"

	"github.com/openmusic/music"
)

// badKeys must be refused by every method with EINVALID.
var badKeys = []string{"", "/etc/passwd", "../escape", "a/../../b", "a//b", "a/", `a\b`, `..\x`, "a/./b", ".hidden", "a/.tmp-x", "nul\x00byte", "\xff"}

func testKeyValidation(t *testing.T, s music.BlobStore) {
	ctx := context.Background()
	for _, key := range badKeys {
		t.Run(strings.ReplaceAll(key, "/", "|"), func(t *testing.T) {
			_, err := s.Put(ctx, key, strings.NewReader("x"), music.PutOptions{})
			wantCode(t, "Put", err, music.EINVALID)
			rc, _, err := s.Get(ctx, key)
			if err == nil {
				rc.Close()
			}
			wantCode(t, "Get", err, music.EINVALID)
			rc, _, err = s.GetRange(ctx, key, 0, 1)
			if err == nil {
				rc.Close()
			}
			wantCode(t, "GetRange", err, music.EINVALID)
			_, err = s.Stat(ctx, key)
			wantCode(t, "Stat", err, music.EINVALID)
			wantCode(t, "Delete", s.Delete(ctx, key), music.EINVALID)
		})
	}
	if got := listAll(t, s, ""); len(got) != 0 {
		t.Fatalf("invalid keys left objects: %+v", got)
	}
}
