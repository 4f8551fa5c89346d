package s3

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Get opens the object; the reader checks the SHA-256 at the end.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, music.BlobInfo, error) {
	if err := blobcheck.Key(key); err != nil {
		return nil, music.BlobInfo{}, fmt.Errorf("get: %w", err)
	}
	out, err := s.client.GetObject(ctx, &s3api.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))})
	if err != nil {
		return nil, music.BlobInfo{}, mapErr("get", key, err)
	}
	info, err := infoOf(key, aws.ToInt64(out.ContentLength), out.ContentType, out.LastModified, out.Metadata)
	if err != nil {
		out.Body.Close()
		return nil, music.BlobInfo{}, err
	}
	return blobcheck.NewVerifier(out.Body, key, info.SHA256), info, nil
}

// GetRange asks S3 for length bytes from offset (length < 0: to the end).
// An offset at or past the end is EINVALID; a length past the end is cut.
func (s *Store) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, music.BlobInfo, error) {
	if err := blobcheck.Key(key); err != nil {
		return nil, music.BlobInfo{}, fmt.Errorf("get range: %w", err)
	}
	if offset < 0 {
		return nil, music.BlobInfo{}, music.Errorf(music.EINVALID, "get range %s: negative offset %d", key, offset)
	}
	if length == 0 { // HTTP ranges cannot say "nothing"
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, music.BlobInfo{}, err
		}
		if offset >= info.Size {
			return nil, music.BlobInfo{}, pastEnd(key, offset, info.Size)
		}
		return io.NopCloser(strings.NewReader("")), info, nil
	}
	rng := fmt.Sprintf("bytes=%d-", offset)
	if length > 0 {
		rng += strconv.FormatInt(offset+length-1, 10)
	}
	out, err := s.client.GetObject(ctx, &s3api.GetObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key)), Range: aws.String(rng),
	})
	if status(err) == 416 {
		info, serr := s.Stat(ctx, key)
		if serr != nil {
			return nil, music.BlobInfo{}, serr
		}
		return nil, music.BlobInfo{}, pastEnd(key, offset, info.Size)
	}
	if err != nil {
		return nil, music.BlobInfo{}, mapErr("get range", key, err)
	}
	total, ok := totalSize(aws.ToString(out.ContentRange))
	if !ok {
		out.Body.Close()
		return nil, music.BlobInfo{}, fmt.Errorf("get range %s: unusable Content-Range %q", key, aws.ToString(out.ContentRange))
	}
	info, err := infoOf(key, total, out.ContentType, out.LastModified, out.Metadata)
	if err != nil {
		out.Body.Close()
		return nil, music.BlobInfo{}, err
	}
	return out.Body, info, nil
}

func pastEnd(key string, offset, size int64) error {
	return music.Errorf(music.EINVALID, "get range %s: offset %d is at or past the end (size %d)", key, offset, size)
}

// totalSize reads the size after the slash of "bytes a-b/size".
func totalSize(contentRange string) (int64, bool) {
	i := strings.LastIndexByte(contentRange, '/')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(contentRange[i+1:], 10, 64)
	return n, err == nil && n >= 0
}

// Stat returns the object's metadata.
func (s *Store) Stat(ctx context.Context, key string) (music.BlobInfo, error) {
	if err := blobcheck.Key(key); err != nil {
		return music.BlobInfo{}, fmt.Errorf("stat: %w", err)
	}
	out, err := s.client.HeadObject(ctx, &s3api.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))})
	if err != nil {
		return music.BlobInfo{}, mapErr("stat", key, err)
	}
	return infoOf(key, aws.ToInt64(out.ContentLength), out.ContentType, out.LastModified, out.Metadata)
}

// infoOf builds BlobInfo from response headers; an object without our
// digest cannot be verified and is an error.
func infoOf(key string, size int64, ctype *string, mod *time.Time, meta map[string]string) (music.BlobInfo, error) {
	sum := meta[metaSHA256]
	if blobcheck.SHA256Hex(sum) != nil {
		return music.BlobInfo{}, music.Errorf(music.EINTERNAL, "blob %s has no valid sha256 metadata (not written by this store?)", key)
	}
	return music.BlobInfo{Key: key, Size: size, SHA256: sum, ContentType: aws.ToString(ctype), ModTime: aws.ToTime(mod)}, nil
}

// PresignGet returns a URL that fetches the object without credentials
// until ttl passes, for the serving layer's redirect mode. Nothing checks
// the bytes on that path; the digest is in the response header
// x-amz-meta-sha256 for clients that want to.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := blobcheck.Key(key); err != nil {
		return "", fmt.Errorf("presign: %w", err)
	}
	if ttl <= 0 || ttl > 7*24*time.Hour {
		return "", music.Errorf(music.EINVALID, "presign %s: ttl %v outside (0, 7 days]", key, ttl)
	}
	req, err := s.presign.PresignGetObject(ctx, &s3api.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))},
		s3api.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return req.URL, nil
}
