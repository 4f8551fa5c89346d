package s3

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/openmusic/music"
)

// publish copies a completed staging object to key, server-side, with the
// digest in its metadata. The copy appears atomically, like any upload.
func (s *Store) publish(ctx context.Context, staging, key string, info music.BlobInfo) (time.Time, error) {
	src := s.bucket + "/" + staging // staging names are hex: no escaping needed
	meta := map[string]string{metaSHA256: info.SHA256}
	if info.Size <= s.copySize {
		out, err := s.client.CopyObject(ctx, &s3api.CopyObjectInput{
			Bucket:            aws.String(s.bucket),
			Key:               aws.String(s.objectKey(key)),
			CopySource:        aws.String(src),
			MetadataDirective: types.MetadataDirectiveReplace,
			Metadata:          meta,
			ContentType:       aws.String(info.ContentType),
			ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		})
		if err != nil {
			return time.Time{}, mapErr("put", key, err)
		}
		return serverTime(out.ResultMetadata), nil
	}
	// Too large for one copy: copy ranges as the parts of a new upload.
	up, err := s.startUpload(ctx, s.objectKey(key), info.ContentType, meta)
	if err != nil {
		return time.Time{}, mapErr("put", key, err)
	}
	for off := int64(0); off < info.Size; off += s.copySize {
		end := min(off+s.copySize, info.Size) - 1
		num := int32(len(up.parts) + 1)
		out, err := s.client.UploadPartCopy(ctx, &s3api.UploadPartCopyInput{
			Bucket:          aws.String(s.bucket),
			Key:             aws.String(up.key),
			UploadId:        aws.String(up.id),
			PartNumber:      aws.Int32(num),
			CopySource:      aws.String(src),
			CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", off, end)),
		})
		if err != nil {
			up.abort()
			return time.Time{}, mapErr("put", key, err)
		}
		up.parts = append(up.parts, types.CompletedPart{
			ETag: out.CopyPartResult.ETag, PartNumber: aws.Int32(num), ChecksumSHA256: out.CopyPartResult.ChecksumSHA256,
		})
	}
	out, err := up.complete(ctx)
	if err != nil {
		up.abort()
		return time.Time{}, mapErr("put", key, err)
	}
	return serverTime(out.ResultMetadata), nil
}
