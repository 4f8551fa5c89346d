package blobtest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/openmusic/music"
)

func testList(t *testing.T, s music.BlobStore) {
	// Byte order, not tree-walk order: '-' and '.' sort before '/'.
	keys := []string{"b/z", "a/b/d", "a.x", "ab", "a/a", "a-c", "a/b/c"}
	for _, k := range keys {
		put(t, s, k, []byte("value of "+k), music.PutOptions{})
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"a-c", "a.x", "a/a", "a/b/c", "a/b/d", "ab", "b/z"}},
		{"a", []string{"a-c", "a.x", "a/a", "a/b/c", "a/b/d", "ab"}},
		{"a/", []string{"a/a", "a/b/c", "a/b/d"}},
		{"a/b", []string{"a/b/c", "a/b/d"}},
		{"a/b/c", []string{"a/b/c"}},
		{"b/", []string{"b/z"}},
		{"zz", nil},
		{"a/b/c/", nil},
	}
	for _, tc := range tests {
		t.Run("prefix="+tc.prefix, func(t *testing.T) {
			infos := listAll(t, s, tc.prefix)
			var got []string
			for _, bi := range infos {
				got = append(got, bi.Key)
				want := []byte("value of " + bi.Key)
				if bi.Size != int64(len(want)) || bi.SHA256 != digest(want) {
					t.Errorf("List info %+v, want size %d sha %s", bi, len(want), digest(want))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
			}
		})
	}

	stop := errors.New("stop")
	n := 0
	err := s.List(context.Background(), "", func(music.BlobInfo) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("List with a failing callback = %v after %d calls, want stop after 1", err, n)
	}
	err = s.List(context.Background(), "../", func(music.BlobInfo) error { return nil })
	wantCode(t, "List(../)", err, music.EINVALID)
}
