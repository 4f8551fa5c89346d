// Package blobstore opens a music.BlobStore from the one-line location the
// configuration carries:
//
//	file:///var/lib/music/blobs      (or file://./musicdata/blobs)
//	s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true
//
// Credentials never go in the URL (it gets logged); they are passed apart.
package blobstore

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/s3"
)

// Credentials for S3; both empty means the AWS SDK's default chain.
type Credentials struct {
	AccessKey string
	SecretKey string
}

// Location is a parsed blob-store URL: Dir for file://, S3 for s3://.
type Location struct {
	Dir string
	S3  *s3.Options
}

// Parse reads a blob-store URL. Errors are EINVALID, on one line, naming
// the URL and what is wrong.
func Parse(raw string) (Location, error) {
	bad := func(format string, args ...any) (Location, error) {
		return Location{}, music.Errorf(music.EINVALID, "blob store URL %q: %s", raw, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.HasPrefix(raw, "file://"):
		dir := strings.TrimPrefix(raw, "file://")
		if dir == "" {
			return bad("no directory after file://")
		}
		if strings.ContainsAny(dir, "?#\x00") {
			return bad("a file:// URL takes a plain directory path")
		}
		return Location{Dir: dir}, nil
	case strings.HasPrefix(raw, "s3://"):
	default:
		return bad("want file://DIR or s3://BUCKET[/PREFIX]")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("%v", err.(*url.Error).Err)
	}
	if u.Host == "" {
		return bad("no bucket after s3://")
	}
	if u.User != nil || u.Fragment != "" {
		return bad("credentials and fragments do not belong in the URL")
	}
	opts := &s3.Options{Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/")}
	for name, vals := range u.Query() {
		if len(vals) != 1 {
			return bad("parameter %s given %d times", name, len(vals))
		}
		v := vals[0]
		switch name {
		case "endpoint":
			e, err := url.Parse(v)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return bad("endpoint %q is not an http(s) URL", v)
			}
			opts.Endpoint = v
		case "region":
			opts.Region = v
		case "path_style":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return bad("path_style %q is not true or false", v)
			}
			opts.PathStyle = b
		case "part_size":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return bad("part_size %q is not a positive number of bytes", v)
			}
			opts.PartSize = n
		default:
			return bad("unknown parameter %q (known: endpoint, region, path_style, part_size)", name)
		}
	}
	return Location{S3: opts}, nil
}

// Open parses raw and opens the store it names. The file store is created
// if missing; the S3 bucket must exist.
func Open(ctx context.Context, raw string, creds Credentials) (music.BlobStore, error) {
	loc, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	if loc.S3 == nil {
		return filestore.Open(ctx, loc.Dir)
	}
	opts := *loc.S3
	opts.AccessKey, opts.SecretKey = creds.AccessKey, creds.SecretKey
	return s3.Open(ctx, opts)
}
