// Package s3 is the music.BlobStore on S3 or any S3-compatible service
// (MinIO, Ceph, R2, …), through aws-sdk-go-v2.
//
// Object "k" is stored as Prefix+"k". Its SHA-256 travels twice: as S3's
// own checksum (x-amz-checksum-sha256, per part for multipart uploads), so
// the server rejects bytes damaged in transit, and as lowercase hex in the
// user metadata "sha256", which Get verifies while the body streams.
//
// Put reads one part (PartSize, default 8 MiB) into memory. A stream that
// ends within it is one PutObject. A longer one is a multipart upload,
// which S3 makes visible only when it completes, so readers never see a
// partial object. Metadata is fixed when an upload starts, so when the
// caller gives no PutOptions.SHA256 the upload goes to a staging key
// (Prefix+".staging/…", never listed) and a server-side copy publishes it
// under its key with the digest; pass the digest to skip that copy.
package s3

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Sizes of the upload machinery.
const (
	DefaultPartSize = 8 << 20
	MinPartSize     = 5 << 20 // S3's minimum for all parts but the last
	maxCopySize     = 5 << 30 // largest single CopyObject S3 accepts
	metaSHA256      = "sha256"
	stagingDir      = ".staging/"
)

// Options configure Open.
type Options struct {
	Bucket    string
	Prefix    string // key prefix inside the bucket, e.g. "music/"; "" for none
	Endpoint  string // e.g. http://127.0.0.1:9000; "" for AWS
	Region    string // default us-east-1
	PathStyle bool   // bucket in the path, as MinIO needs
	AccessKey string // with SecretKey; both empty: the SDK's default chain
	SecretKey string
	PartSize  int64 // multipart part size and Put's memory per call; default 8 MiB
}

// Store is a blob store in one bucket under one prefix.
type Store struct {
	client   *s3api.Client
	presign  *s3api.PresignClient
	bucket   string
	prefix   string
	where    string // endpoint for messages
	partSize int64
	copySize int64 // largest object published with one CopyObject
}

var _ music.BlobStore = (*Store)(nil)

// Open connects to the bucket and checks that it exists. Failure is one
// line naming the bucket and the endpoint.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Bucket == "" {
		return nil, music.Errorf(music.EINVALID, "s3: no bucket given")
	}
	prefix := opts.Prefix
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if err := blobcheck.Prefix(prefix); err != nil {
		return nil, fmt.Errorf("s3 prefix: %w", err)
	}
	if (opts.AccessKey == "") != (opts.SecretKey == "") {
		return nil, music.Errorf(music.EINVALID, "s3: give both access key and secret key, or neither")
	}
	partSize := opts.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < MinPartSize || partSize > maxCopySize {
		return nil, music.Errorf(music.EINVALID, "s3: part size %d outside %d..%d", partSize, MinPartSize, int64(maxCopySize))
	}
	region := opts.Region
	if region == "" {
		region = "us-east-1"
	}
	loaders := []func(*config.LoadOptions) error{config.WithRegion(region)}
	if opts.AccessKey != "" {
		loaders = append(loaders, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(opts.AccessKey, opts.SecretKey, "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loaders...)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "s3: load AWS configuration: %v", err)
	}
	client := s3api.NewFromConfig(cfg, func(o *s3api.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		o.UsePathStyle = opts.PathStyle
		// We send and check SHA-256 ourselves; no extra CRCs.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	where := opts.Endpoint
	if where == "" {
		where = "AWS S3 " + region
	}
	s := &Store{
		client: client, presign: s3api.NewPresignClient(client),
		bucket: opts.Bucket, prefix: prefix, where: where,
		partSize: partSize, copySize: maxCopySize,
	}
	if err := s.checkBucket(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// checkBucket asks for the bucket once, without retries, so a wrong
// setting fails fast.
func (s *Store) checkBucket(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	_, err := s.client.HeadBucket(ctx, &s3api.HeadBucketInput{Bucket: aws.String(s.bucket)},
		func(o *s3api.Options) { o.RetryMaxAttempts = 1 })
	if err == nil {
		return nil
	}
	b := fmt.Sprintf("bucket %q at %s", s.bucket, s.where)
	switch status(err) {
	case 404:
		return music.Errorf(music.ENOTFOUND, "s3: %s does not exist", b)
	case 401, 403:
		return music.Errorf(music.EFORBIDDEN, "s3: %s: access denied (check the access key and secret key)", b)
	case 301:
		return music.Errorf(music.EINVALID, "s3: %s is in another region than %q", b, s.client.Options().Region)
	}
	return music.Errorf(music.EUNAVAILABLE, "s3: %s is unreachable: %s", b, short(err))
}

// status returns the HTTP status of an S3 error, or 0.
func status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// short condenses an SDK error (which nests operation, retries and
// request details) to its cause, on one line.
func short(err error) string {
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	case errors.As(err, &dns):
		return dns.Error()
	case errors.As(err, &op):
		return op.Error()
	case status(err) != 0:
		return fmt.Sprintf("HTTP status %d", status(err))
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

// mapErr turns an S3 error for key into a domain error.
func mapErr(op, key string, err error) error {
	switch status(err) {
	case 404:
		return music.Errorf(music.ENOTFOUND, "%s %s: no such object", op, key)
	case 401, 403:
		return music.Errorf(music.EFORBIDDEN, "%s %s: access denied", op, key)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// objectKey is the bucket key of a blob key.
func (s *Store) objectKey(key string) string { return s.prefix + key }
