package miniotest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestStartServesTheBucket(t *testing.T) {
	srv := Start(t)
	c := srv.Client()
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatalf("put into the test bucket: %v", err)
	}
	if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("endpoint %s is not loopback", srv.Endpoint)
	}
}

func TestBinaryFromEnv(t *testing.T) {
	t.Setenv("MUSIC_MINIO_BIN", "/nonexistent/minio")
	_, err := Binary()
	if err == nil || !strings.Contains(err.Error(), "MUSIC_MINIO_BIN=/nonexistent/minio") {
		t.Fatalf("Binary() = %v, want an error naming the variable", err)
	}
	self, _ := os.Executable()
	t.Setenv("MUSIC_MINIO_BIN", self)
	if got, err := Binary(); err != nil || got != self {
		t.Fatalf("Binary() = %q, %v; want %q", got, err, self)
	}
}

// TestMissingBinary runs TestHelperStart in a child process that can find
// no MinIO: it must skip, or fail when MUSIC_REQUIRE_MINIO=1.
func TestMissingBinary(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	for _, tc := range []struct {
		require string
		fail    bool
		want    string
	}{
		{"", false, "SKIP S3 tests against MinIO"},
		{"1", true, "MUSIC_REQUIRE_MINIO=1 but no MinIO binary"},
	} {
		cmd := exec.Command(self, "-test.run=^TestHelperStart$", "-test.v")
		cmd.Env = []string{"MINIOTEST_HELPER=1", "HOME=" + empty, "XDG_CACHE_HOME=" + empty, "PATH=" + empty, "MUSIC_REQUIRE_MINIO=" + tc.require}
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fail || !strings.Contains(string(out), tc.want) {
			t.Errorf("MUSIC_REQUIRE_MINIO=%q: err %v, output:\n%s\nwant failure=%v and %q", tc.require, err, out, tc.fail, tc.want)
		}
	}
}

func TestHelperStart(t *testing.T) {
	if os.Getenv("MINIOTEST_HELPER") != "1" {
		t.Skip("helper for TestMissingBinary")
	}
	Start(t)
}
