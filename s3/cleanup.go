package s3

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
)

// Cleanup removes what crashed writers leave behind: staging objects and
// unfinished multipart uploads under the store's prefix that were started
// before the cutoff. Live writers are safe as long as the cutoff lies
// further back than any upload takes (a day is plenty). A bucket lifecycle
// rule (AbortIncompleteMultipartUpload, expiry of Prefix+".staging/") does
// the same job on AWS. MinIO lists uploads only per exact key, so there
// Cleanup removes the staging objects and MinIO itself expires stale
// uploads (MINIO_API_STALE_UPLOADS_EXPIRY, 24h by default). It returns how
// many things it removed.
func (s *Store) Cleanup(ctx context.Context, before time.Time) (int, error) {
	removed := 0
	staged := s3api.NewListObjectsV2Paginator(s.client, &s3api.ListObjectsV2Input{
		Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix + stagingDir),
	})
	for staged.HasMorePages() {
		page, err := staged.NextPage(ctx)
		if err != nil {
			return removed, fmt.Errorf("s3 cleanup: %w", err)
		}
		for _, obj := range page.Contents {
			if !aws.ToTime(obj.LastModified).Before(before) {
				continue
			}
			if _, err := s.client.DeleteObject(ctx, &s3api.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: obj.Key}); err != nil {
				return removed, fmt.Errorf("s3 cleanup: %w", err)
			}
			removed++
		}
	}
	uploads := s3api.NewListMultipartUploadsPaginator(s.client, &s3api.ListMultipartUploadsInput{
		Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix),
	})
	for uploads.HasMorePages() {
		page, err := uploads.NextPage(ctx)
		if err != nil {
			return removed, fmt.Errorf("s3 cleanup: %w", err)
		}
		for _, up := range page.Uploads {
			if !aws.ToTime(up.Initiated).Before(before) {
				continue
			}
			_, err := s.client.AbortMultipartUpload(ctx, &s3api.AbortMultipartUploadInput{
				Bucket: aws.String(s.bucket), Key: up.Key, UploadId: up.UploadId,
			})
			if err != nil && status(err) != 404 {
				return removed, fmt.Errorf("s3 cleanup: %w", err)
			}
			removed++
		}
	}
	return removed, nil
}
