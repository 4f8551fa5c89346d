package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Delete removes the object; S3 treats a missing key as success too.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blobcheck.Key(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	_, err := s.client.DeleteObject(ctx, &s3api.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.objectKey(key))})
	if err != nil && status(err) != 404 {
		return mapErr("delete", key, err)
	}
	return nil
}

// List calls fn for every object under prefix in key order (S3 lists in
// byte order). The listing has no user metadata, so each object costs one
// HeadObject for its digest and content type.
func (s *Store) List(ctx context.Context, prefix string, fn func(music.BlobInfo) error) error {
	if err := blobcheck.Prefix(prefix); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	pages := s3api.NewListObjectsV2Paginator(s.client, &s3api.ListObjectsV2Input{
		Bucket: aws.String(s.bucket), Prefix: aws.String(s.objectKey(prefix)),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return mapErr("list", prefix, err)
		}
		for _, obj := range page.Contents {
			key := strings.TrimPrefix(aws.ToString(obj.Key), s.prefix)
			if blobcheck.Key(key) != nil {
				continue // staging objects and foreign keys
			}
			info, err := s.Stat(ctx, key)
			if music.ErrorCode(err) == music.ENOTFOUND {
				continue // deleted while we listed
			}
			if err != nil {
				return err
			}
			if err := fn(info); err != nil {
				return err
			}
		}
	}
	return nil
}
