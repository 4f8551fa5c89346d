package blobtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/openmusic/music"
)

func testRanges(t *testing.T, s music.BlobStore) {
	body := make([]byte, 1000)
	for i := range body {
		body[i] = byte(i * 7)
	}
	put(t, s, "r", body, music.PutOptions{})
	ok := []struct {
		off, n int64
		want   []byte
	}{
		{0, 10, body[:10]},
		{500, 100, body[500:600]},
		{990, -1, body[990:]},
		{990, 100, body[990:]}, // length past the end stops at the end
		{0, -1, body},
		{999, 1, body[999:]},
		{10, 0, nil},
	}
	for _, tc := range ok {
		t.Run(fmt.Sprintf("%d+%d", tc.off, tc.n), func(t *testing.T) {
			rc, info, err := s.GetRange(context.Background(), "r", tc.off, tc.n)
			if err != nil {
				t.Fatalf("GetRange: %v", err)
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("got %d bytes, want %d (first differs)", len(got), len(tc.want))
			}
			if info.Size != 1000 || info.SHA256 != digest(body) {
				t.Fatalf("range info = %+v, want the whole object's size and digest", info)
			}
		})
	}
	for _, tc := range []struct{ off, n int64 }{{1000, -1}, {1000, 1}, {5000, 10}, {-1, 5}} {
		t.Run(fmt.Sprintf("bad %d+%d", tc.off, tc.n), func(t *testing.T) {
			rc, _, err := s.GetRange(context.Background(), "r", tc.off, tc.n)
			if err == nil {
				rc.Close()
			}
			wantCode(t, "GetRange beyond the end", err, music.EINVALID)
		})
	}
}
