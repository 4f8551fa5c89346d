package blobstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/s3"
)

func TestParse(t *testing.T) {
	good := []struct {
		raw  string
		want Location
	}{
		{"file:///var/lib/music", Location{Dir: "/var/lib/music"}},
		{"file://./musicdata/blobs", Location{Dir: "./musicdata/blobs"}},
		{"s3://bucket", Location{S3: &s3.Options{Bucket: "bucket"}}},
		{"s3://bucket/music/", Location{S3: &s3.Options{Bucket: "bucket", Prefix: "music/"}}},
		{"s3://b/p?endpoint=http://127.0.0.1:9000&region=eu-west-1&path_style=true&part_size=16777216",
			Location{S3: &s3.Options{Bucket: "b", Prefix: "p", Endpoint: "http://127.0.0.1:9000", Region: "eu-west-1", PathStyle: true, PartSize: 16 << 20}}},
	}
	for _, tc := range good {
		got, err := Parse(tc.raw)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.raw, err)
			continue
		}
		if got.Dir != tc.want.Dir || (got.S3 == nil) != (tc.want.S3 == nil) || (got.S3 != nil && *got.S3 != *tc.want.S3) {
			t.Errorf("Parse(%q) = %+v %+v, want %+v %+v", tc.raw, got, got.S3, tc.want, tc.want.S3)
		}
	}
	bad := []struct{ raw, want string }{
		{"", "want file://DIR or s3://"},
		{"/var/lib/music", "want file://DIR"},
		{"gs://bucket", "want file://DIR"},
		{"file://", "no directory"},
		{"s3://", "no bucket"},
		{"s3:///prefix", "no bucket"},
		{"s3://key:secret@bucket", "credentials"},
		{"s3://b?endpoint=127.0.0.1:9000", "endpoint"},
		{"s3://b?path_style=maybe", "path_style"},
		{"s3://b?part_size=-1", "part_size"},
		{"s3://b?regoin=x", `unknown parameter "regoin"`},
		{"s3://b?region=a&region=b", "2 times"},
		{"s3://b/%zz", "invalid URL escape"},
	}
	for _, tc := range bad {
		_, err := Parse(tc.raw)
		if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) = %v, want one-line EINVALID containing %q", tc.raw, err, tc.want)
		}
	}
}

func TestOpenFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	bs, err := Open(context.Background(), "file://"+dir, Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	if fs, ok := bs.(*filestore.Store); !ok || fs.Dir() != dir {
		t.Fatalf("Open gave %T %+v", bs, bs)
	}
	if _, err := Open(context.Background(), "s3://b?endpoint=http://127.0.0.1:1", Credentials{"a", "b"}); music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("Open of an unreachable S3 = %v", err)
	}
}

// FuzzParse: any input gives a Location or an EINVALID error, never a
// panic, and an accepted URL names exactly one store.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"file:///x", "s3://b/p?endpoint=http://h:1&path_style=1", "s3://", "s3://b?x=1", "file://", "s3://%zz", "s3://b?part_size=9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		loc, err := Parse(raw)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("Parse(%q) code %s", raw, music.ErrorCode(err))
			}
			return
		}
		if (loc.Dir == "") == (loc.S3 == nil) {
			t.Fatalf("Parse(%q) = %+v: want exactly one of Dir and S3", raw, loc)
		}
		if loc.S3 != nil && loc.S3.Bucket == "" {
			t.Fatalf("Parse(%q) accepted an empty bucket", raw)
		}
	})
}
