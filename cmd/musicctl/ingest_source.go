package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobfile"
	"github.com/openmusic/music/blobstore"
)

// deliverySource returns a local directory holding the delivery named by
// arg: arg itself, or, for s3://bucket/prefix, a temporary copy of every
// object under the prefix (removed by cleanup). The copy is validated like
// a local folder, so an S3 delivery gets the same checks.
func deliverySource(ctx context.Context, arg string) (dir string, cleanup func(), err error) {
	if !strings.HasPrefix(arg, "s3://") {
		return arg, func() {}, nil
	}
	creds, err := s3Credentials()
	if err != nil {
		return "", nil, err
	}
	store, err := blobstore.Open(ctx, arg, creds)
	if err != nil {
		return "", nil, fmt.Errorf("delivery %s: %v", arg, err)
	}
	tmp, err := os.MkdirTemp("", "musicctl-delivery-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	n := 0
	err = store.List(ctx, "", func(info music.BlobInfo) error {
		n++
		return blobfile.CopyToFile(ctx, store, info.Key, filepath.Join(tmp, filepath.FromSlash(info.Key)))
	})
	if err == nil && n == 0 {
		err = music.Errorf(music.ENOTFOUND, "delivery %s: no objects under that prefix", arg)
	}
	if err != nil {
		cleanup()
		return "", nil, err
	}
	return tmp, cleanup, nil
}
