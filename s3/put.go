package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Put stores r under key; see the package doc for how.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts music.PutOptions) (music.BlobInfo, error) {
	if err := blobcheck.Key(key); err != nil {
		return music.BlobInfo{}, fmt.Errorf("put: %w", err)
	}
	if opts.SHA256 != "" {
		if err := blobcheck.SHA256Hex(opts.SHA256); err != nil {
			return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
		}
	}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	buf := make([]byte, s.partSize) // the only buffer: memory is one part
	n, err := io.ReadFull(blobcheck.ContextReader(ctx, r), buf)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return s.putSingle(ctx, key, buf[:n], opts)
	case err != nil:
		return music.BlobInfo{}, fmt.Errorf("put %s: %w", key, err)
	}
	return s.putMultipart(ctx, key, buf, blobcheck.ContextReader(ctx, r), opts)
}

// putSingle sends a body that fits one part with one PutObject.
func (s *Store) putSingle(ctx context.Context, key string, body []byte, opts music.PutOptions) (music.BlobInfo, error) {
	sum := sha256.Sum256(body)
	hexSum := hex.EncodeToString(sum[:])
	if opts.SHA256 != "" && opts.SHA256 != hexSum {
		return music.BlobInfo{}, blobcheck.Mismatch(key, hexSum, opts.SHA256)
	}
	out, err := s.client.PutObject(ctx, &s3api.PutObjectInput{
		Bucket:            aws.String(s.bucket),
		Key:               aws.String(s.objectKey(key)),
		Body:              bytes.NewReader(body),
		ContentLength:     aws.Int64(int64(len(body))),
		ContentType:       aws.String(opts.ContentType),
		Metadata:          map[string]string{metaSHA256: hexSum},
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		ChecksumSHA256:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
	})
	if err != nil {
		return music.BlobInfo{}, mapErr("put", key, err)
	}
	return music.BlobInfo{Key: key, Size: int64(len(body)), SHA256: hexSum, ContentType: opts.ContentType, ModTime: serverTime(out.ResultMetadata)}, nil
}

// putMultipart uploads first and the rest of r part by part.
func (s *Store) putMultipart(ctx context.Context, key string, first []byte, r io.Reader, opts music.PutOptions) (music.BlobInfo, error) {
	// With the digest known, upload straight to the key; otherwise to a
	// staging key, published by copy once the digest is known.
	direct := opts.SHA256 != ""
	target := s.objectKey(key)
	var meta map[string]string
	if direct {
		meta = map[string]string{metaSHA256: opts.SHA256}
	} else {
		target = s.prefix + stagingDir + randomID()
	}
	up, err := s.startUpload(ctx, target, opts.ContentType, meta)
	if err != nil {
		return music.BlobInfo{}, mapErr("put", key, err)
	}
	whole := sha256.New()
	size, err := up.send(ctx, first, r, whole)
	if err == nil {
		sum := hex.EncodeToString(whole.Sum(nil))
		if direct && sum != opts.SHA256 {
			err = blobcheck.Mismatch(key, sum, opts.SHA256)
		}
	}
	if err != nil {
		up.abort()
		return music.BlobInfo{}, wrapPut(key, err)
	}
	out, err := up.complete(ctx)
	if err != nil {
		up.abort()
		return music.BlobInfo{}, mapErr("put", key, err)
	}
	info := music.BlobInfo{Key: key, Size: size, SHA256: hex.EncodeToString(whole.Sum(nil)), ContentType: opts.ContentType, ModTime: serverTime(out.ResultMetadata)}
	if direct {
		return info, nil
	}
	defer s.deleteQuietly(target)
	if info.ModTime, err = s.publish(ctx, target, key, info); err != nil {
		return music.BlobInfo{}, err
	}
	return info, nil
}

// wrapPut keeps domain errors as they are and adds context to others.
func wrapPut(key string, err error) error {
	var me *music.Error
	if errors.As(err, &me) {
		return err
	}
	return mapErr("put", key, err)
}

// upload is one multipart upload in progress.
type upload struct {
	s     *Store
	key   string // bucket key
	id    string
	parts []types.CompletedPart
}

func (s *Store) startUpload(ctx context.Context, target, contentType string, meta map[string]string) (*upload, error) {
	out, err := s.client.CreateMultipartUpload(ctx, &s3api.CreateMultipartUploadInput{
		Bucket:            aws.String(s.bucket),
		Key:               aws.String(target),
		ContentType:       aws.String(contentType),
		Metadata:          meta,
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
	})
	if err != nil {
		return nil, err
	}
	return &upload{s: s, key: target, id: aws.ToString(out.UploadId)}, nil
}

// send uploads first, then reads r into the same buffer part after part.
func (u *upload) send(ctx context.Context, first []byte, r io.Reader, whole hash.Hash) (int64, error) {
	buf := first
	var size int64
	for {
		whole.Write(buf)
		size += int64(len(buf))
		if err := u.part(ctx, buf); err != nil {
			return size, err
		}
		n, err := io.ReadFull(r, first[:cap(first)])
		if n > 0 && len(u.parts) == 10000 {
			return size, music.Errorf(music.EINVALID, "object larger than 10000 parts of %d bytes", len(first))
		}
		switch {
		case err == io.EOF:
			return size, nil
		case err == io.ErrUnexpectedEOF:
			whole.Write(first[:n])
			size += int64(n)
			return size, u.part(ctx, first[:n])
		case err != nil:
			return size, err
		}
		buf = first[:n]
	}
}

// part uploads one part with its SHA-256 for the server to check.
func (u *upload) part(ctx context.Context, b []byte) error {
	sum := sha256.Sum256(b)
	num := int32(len(u.parts) + 1)
	b64 := base64.StdEncoding.EncodeToString(sum[:])
	out, err := u.s.client.UploadPart(ctx, &s3api.UploadPartInput{
		Bucket:            aws.String(u.s.bucket),
		Key:               aws.String(u.key),
		UploadId:          aws.String(u.id),
		PartNumber:        aws.Int32(num),
		Body:              bytes.NewReader(b),
		ContentLength:     aws.Int64(int64(len(b))),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		ChecksumSHA256:    aws.String(b64),
	})
	if err != nil {
		return err
	}
	u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num), ChecksumSHA256: aws.String(b64)})
	return nil
}

func (u *upload) complete(ctx context.Context) (*s3api.CompleteMultipartUploadOutput, error) {
	return u.s.client.CompleteMultipartUpload(ctx, &s3api.CompleteMultipartUploadInput{
		Bucket:          aws.String(u.s.bucket),
		Key:             aws.String(u.key),
		UploadId:        aws.String(u.id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
	})
}

// abort drops the upload's parts, even when the caller's context is done.
func (u *upload) abort() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u.s.client.AbortMultipartUpload(ctx, &s3api.AbortMultipartUploadInput{
		Bucket: aws.String(u.s.bucket), Key: aws.String(u.key), UploadId: aws.String(u.id),
	})
}

// deleteQuietly removes a staging object; a leftover is harmless (never
// listed) and is only storage.
func (s *Store) deleteQuietly(bucketKey string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s.client.DeleteObject(ctx, &s3api.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(bucketKey)})
}

// serverTime is the response's Date, or now when the server sent none.
func serverTime(md middleware.Metadata) time.Time {
	if t, ok := awsmw.GetServerTime(md); ok {
		return t
	}
	return time.Now()
}

// randomID names a staging object.
func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
