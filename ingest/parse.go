package ingest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/xmlsafe"
)

// Parse reads one DDEX ERN 4.3 message (NewReleaseMessage or
// PurgeReleaseMessage) of at most DefaultMaxMessageSize bytes.
func Parse(r io.Reader) (*Delivery, error) {
	return ParseLimit(r, DefaultMaxMessageSize)
}

// ParseLimit is Parse with a caller-chosen size cap. It stops reading at
// max+1 bytes, scans every token for forbidden constructs before decoding,
// and only then decodes into the delivery model. Values that are present
// but malformed (an ISRC, a duration) are kept as sent; Check reports them.
func ParseLimit(r io.Reader, max int64) (*Delivery, error) {
	buf, err := xmlsafe.ReadLimited(r, max, "message")
	if err != nil {
		return nil, err
	}
	root, err := xmlsafe.Scan(buf)
	if err != nil {
		return nil, err
	}
	kind, err := rootKind(root)
	if err != nil {
		return nil, err
	}
	switch kind {
	case KindPurgeRelease:
		var m ernPurgeRelease
		if err := xml.Unmarshal(buf, &m); err != nil {
			return nil, music.Errorf(music.EINVALID, "decode PurgeReleaseMessage: %v", err)
		}
		return fromPurge(&m), nil
	default:
		var m ernNewRelease
		if err := xml.Unmarshal(buf, &m); err != nil {
			return nil, music.Errorf(music.EINVALID, "decode NewReleaseMessage: %v", err)
		}
		return fromNewRelease(&m), nil
	}
}

// ParseFile parses the message at path. An oversized file is rejected from
// its size alone, before a byte of it is read.
func ParseFile(ctx context.Context, path string, max int64) (*Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open message: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat message: %w", err)
	}
	if st.Size() > max {
		return nil, music.Errorf(music.EINVALID, "message is %d bytes, larger than the %d-byte limit", st.Size(), max)
	}
	return ParseLimit(f, max)
}
