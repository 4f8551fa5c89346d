package s3

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/miniotest"
)

func TestCleanupRemovesCrashLeftovers(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	s := openTest(t, srv, "crash/")
	// What a writer that died mid-Put leaves: a staging object and an
	// upload that never completed.
	if _, err := s.client.PutObject(ctx, &s3api.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String("crash/.staging/dead"), Body: strings.NewReader("half"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.startUpload(ctx, "crash/.staging/dead2", "x/y", nil, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "kept", strings.NewReader("real object"), music.PutOptions{}); err != nil {
		t.Fatal(err)
	}

	// A cutoff in the past spares them: they may belong to live writers.
	if n, err := s.Cleanup(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("Cleanup(an hour ago) = %d, %v; want 0", n, err)
	}
	n, err := s.Cleanup(ctx, time.Now().Add(time.Minute))
	if err != nil || n < 1 {
		t.Fatalf("Cleanup(now) = %d, %v; want the staging object removed", n, err)
	}
	objs, err := s.client.ListObjectsV2(ctx, &s3api.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String("crash/")})
	if err != nil || len(objs.Contents) != 1 || aws.ToString(objs.Contents[0].Key) != "crash/kept" {
		t.Fatalf("after cleanup the prefix holds %v (%v), want only crash/kept", objs.Contents, err)
	}
	// MinIO lists uploads only for an exact key and expires stale ones
	// itself; AWS lists by prefix and Cleanup aborts them.
	t.Logf("Cleanup removed %d (2 where the server lists uploads by prefix)", n)
	ups, err := s.client.ListMultipartUploads(ctx, &s3api.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String("crash/.staging/dead2")})
	t.Logf("uploads for the exact key: %d (%v)", len(ups.Uploads), err)
}
