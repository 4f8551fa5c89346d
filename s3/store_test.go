package s3

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobtest"
	"github.com/openmusic/music/internal/miniotest"
)

// openTest opens a store on srv under a prefix of its own, so subtests
// share one server and bucket but never see each other's objects.
func openTest(t testing.TB, srv *miniotest.Server, prefix string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{
		Bucket: srv.Bucket, Prefix: prefix, Endpoint: srv.Endpoint, PathStyle: true,
		AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey,
		PartSize: MinPartSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Publish objects over 10 MiB by multipart copy, so the suite's 20 MB
	// object takes that path; smaller ones use CopyObject.
	s.copySize = 10 << 20
	return s
}

var prefixes atomic.Int64

func TestConformance(t *testing.T) {
	srv := miniotest.Start(t)
	blobtest.Run(t, func(t *testing.T) music.BlobStore {
		return openTest(t, srv, fmt.Sprintf("conf%d/", prefixes.Add(1)))
	}, corrupt)
}

// corrupt rewrites the object with one byte flipped but its recorded
// digest kept, as damage on the server would look.
func corrupt(t *testing.T, bs music.BlobStore, key string) {
	t.Helper()
	s := bs.(*Store)
	ctx := context.Background()
	out, err := s.client.GetObject(ctx, &s3api.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	b[10] ^= 0xff
	_, err = s.client.PutObject(ctx, &s3api.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key)),
		Body: bytes.NewReader(b), Metadata: out.Metadata, ContentType: out.ContentType,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	srv := miniotest.Start(t)
	// No credentials anywhere the SDK looks, for the "no credentials" case.
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"} {
		t.Setenv(v, "")
	}
	tests := []struct {
		name string
		opts Options
		code string
		want []string // substrings of the one-line message
	}{
		{"missing bucket", Options{Bucket: "no-such-bucket", Endpoint: srv.Endpoint, PathStyle: true,
			AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey},
			music.ENOTFOUND, []string{`"no-such-bucket"`, srv.Endpoint, "does not exist"}},
		{"bad secret", Options{Bucket: srv.Bucket, Endpoint: srv.Endpoint, PathStyle: true,
			AccessKey: miniotest.AccessKey, SecretKey: "wrong-secret"},
			music.EFORBIDDEN, []string{srv.Bucket, srv.Endpoint, "access denied"}},
		{"unreachable", Options{Bucket: "music", Endpoint: "http://127.0.0.1:1", PathStyle: true,
			AccessKey: "a", SecretKey: "b"},
			music.EUNAVAILABLE, []string{`"music"`, "http://127.0.0.1:1", "unreachable", "connection refused"}},
		{"no credentials", Options{Bucket: "music", Endpoint: srv.Endpoint, PathStyle: true},
			music.EUNAUTHORIZED, []string{`"music"`, srv.Endpoint, "no credentials"}},
		{"no bucket", Options{}, music.EINVALID, []string{"no bucket"}},
		{"bad prefix", Options{Bucket: "b", Prefix: "../x"}, music.EINVALID, []string{"prefix"}},
		{"small parts", Options{Bucket: "b", PartSize: 1024}, music.EINVALID, []string{"part size"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Open(context.Background(), tc.opts)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			t.Logf("%s (%v)", msg, time.Since(start).Round(time.Millisecond))
			if music.ErrorCode(err) != tc.code {
				t.Errorf("code %q, want %q", music.ErrorCode(err), tc.code)
			}
			if strings.Contains(msg, "\n") || len(msg) > 300 {
				t.Errorf("message is not one short line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestMultipartPaths(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	s := openTest(t, srv, "multi/")
	body := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16+99) // two parts
	sum := blobtestDigest(body)
	for _, tc := range []struct {
		name string
		opts music.PutOptions
	}{
		{"digest given: direct upload", music.PutOptions{SHA256: sum}},
		{"no digest: staged and copied", music.PutOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := s.Put(ctx, "m", struct{ io.Reader }{bytes.NewReader(body)}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if info.SHA256 != sum || info.Size != int64(len(body)) {
				t.Fatalf("info %+v", info)
			}
			rc, ginfo, err := s.Get(ctx, "m")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, body) || ginfo.SHA256 != sum {
				t.Fatalf("Get: %v, equal %v, info %+v", err, bytes.Equal(got, body), ginfo)
			}
		})
	}
	// Nothing is left behind: no staging objects, no open uploads.
	objs, err := s.client.ListObjectsV2(ctx, &s3api.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String("multi/.staging/")})
	if err != nil || len(objs.Contents) != 0 {
		t.Fatalf("staging objects left: %v %d", err, len(objs.Contents))
	}
	// A direct upload whose bytes miss the promised digest is aborted.
	_, err = s.Put(ctx, "bad", bytes.NewReader(body), music.PutOptions{SHA256: blobtestDigest([]byte("other"))})
	if music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("Put with wrong digest = %v", err)
	}
	// MinIO lists uploads only for an exact key, so ask per key.
	for _, key := range []string{"multi/m", "multi/bad"} {
		ups, err := s.client.ListMultipartUploads(ctx, &s3api.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String(key)})
		if err != nil || len(ups.Uploads) != 0 {
			t.Fatalf("open multipart uploads left for %s: %v %d", key, err, len(ups.Uploads))
		}
	}
}

func TestServerChecksRejectsDamage(t *testing.T) {
	// The digest we send is S3's checksum: bytes that do not match it
	// are refused by the server, not stored.
	srv := miniotest.Start(t)
	ctx := context.Background()
	s := openTest(t, srv, "chk/")
	good := blobtestRaw([]byte("what we meant to send"))
	_, err := s.client.PutObject(ctx, &s3api.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey("x")),
		Body: strings.NewReader("what arrived instead!"), ChecksumSHA256: aws.String(good),
	})
	if err == nil {
		t.Fatal("server accepted bytes that do not match x-amz-checksum-sha256")
	}
	if _, err := s.Stat(ctx, "x"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("Stat after rejected put = %v", err)
	}
}

func TestPresignGet(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	s := openTest(t, srv, "pre/")
	if _, err := s.Put(ctx, "song.ogg", strings.NewReader("presigned bytes"), music.PutOptions{ContentType: "audio/ogg"}); err != nil {
		t.Fatal(err)
	}
	url, err := s.PresignGet(ctx, "song.ogg", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: time.Minute} // a stuck MinIO fails, never hangs
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != "presigned bytes" || resp.Header.Get("x-amz-meta-sha256") != blobtestDigest(got) {
		t.Fatalf("presigned GET: %d %q sha header %q", resp.StatusCode, got, resp.Header.Get("x-amz-meta-sha256"))
	}
	// Without the signature the object is private.
	resp, err = hc.Get(strings.Split(url, "?")[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned GET status %d, want 403", resp.StatusCode)
	}
	if _, err := s.PresignGet(ctx, "../x", time.Minute); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("presign of a bad key = %v", err)
	}
}
