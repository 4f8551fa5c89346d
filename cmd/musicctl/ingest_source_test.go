package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/openmusic/music/blobfile"
	"github.com/openmusic/music/blobstore"
	"github.com/openmusic/music/internal/miniotest"
)

// TestIngestReadsDeliveryFromS3 validates a delivery read from MinIO
// (s3://bucket/prefix) exactly as the same folder on disk, and names the
// prefix when it holds nothing.
func TestIngestReadsDeliveryFromS3(t *testing.T) {
	minio := miniotest.Start(t)
	t.Setenv("MUSIC_S3_ACCESS_KEY", miniotest.AccessKey)
	t.Setenv("MUSIC_S3_SECRET_KEY", miniotest.SecretKey)
	url := func(prefix string) string {
		return "s3://" + minio.Bucket + "/" + prefix + "?path_style=true&endpoint=" + minio.Endpoint
	}
	ctx := context.Background()
	store, err := blobstore.Open(ctx, url("deliveries/good"), blobstore.Credentials{AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := blobfile.PutDir(ctx, store, "../../ingest/testdata/good", ""); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "ingest", "--dry-run", "--json", url("deliveries/good"))
	var res dryRunResult
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || !res.Valid || len(res.Deliveries) != 1 || len(res.Deliveries[0].Summary.Tracks) != 2 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	_, errOut, code = run(t, "ingest", "--dry-run", url("deliveries/none"))
	if code == 0 || !strings.Contains(errOut, "no objects under that prefix") {
		t.Fatalf("empty prefix: exit %d, %s", code, errOut)
	}
}
