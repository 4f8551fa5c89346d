package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	music "github.com/openmusic/music"
)

// DefaultMaxMessageSize caps a DDEX message at 10 MB. The largest official
// ERN 4.3 sample is 330 kB and a 100-track album stays near 2 MB, so 10 MB
// leaves room for any real release while bounding what one delivery can
// make the parser hold in memory.
const DefaultMaxMessageSize = 10 << 20

// ernNamespace is the only ERN version this package reads.
const ernNamespace = "http://ddex.net/xml/ern/43"

// readLimited reads all of r if it is at most max bytes, and stops reading
// at max+1 bytes otherwise.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	buf, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	if int64(len(buf)) > max {
		return nil, music.Errorf(music.EINVALID, "message is larger than the %d-byte limit", max)
	}
	return buf, nil
}

// scanXML walks every token of the message before anything is decoded and
// rejects what the platform never accepts: DOCTYPE and ENTITY declarations
// (the door to external entities and entity expansion), malformed XML,
// non-UTF-8 encodings, a second root element, and roots other than ERN 4.3
// NewReleaseMessage or PurgeReleaseMessage. It returns the root's kind.
func scanXML(buf []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(buf))
	d.Strict = true
	var kind string
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := d.InputPos()
		if err != nil {
			return "", music.Errorf(music.EINVALID, "malformed XML near line %d: %v", line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", music.Errorf(music.EINVALID, "line %d: DOCTYPE, DTD and ENTITY declarations are not allowed", line)
		case xml.StartElement:
			if depth == 0 {
				if kind != "" {
					return "", music.Errorf(music.EINVALID, "line %d: second root element <%s>", line, t.Name.Local)
				}
				k, err := rootKind(t.Name)
				if err != nil {
					return "", err
				}
				kind = k
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return "", music.Errorf(music.EINVALID, "line %d: text outside the root element", line)
			}
		}
	}
	if kind == "" {
		return "", music.Errorf(music.EINVALID, "no root element: not a DDEX message")
	}
	return kind, nil
}

// rootKind checks the root element's name and namespace.
func rootKind(n xml.Name) (string, error) {
	switch n.Local {
	case KindNewRelease, KindPurgeRelease:
	default:
		return "", music.Errorf(music.EINVALID, "root element <%s> is not a NewReleaseMessage or PurgeReleaseMessage", n.Local)
	}
	if n.Space != ernNamespace {
		return "", music.Errorf(music.EUNSUPPORTED, "root element namespace %q is not ERN 4.3 (%s)", n.Space, ernNamespace)
	}
	return n.Local, nil
}
