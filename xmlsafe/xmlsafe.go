package xmlsafe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	music "github.com/openmusic/music"
)

// ReadLimited reads all of r if it is at most max bytes, and stops reading
// at max+1 bytes otherwise. what names the document in errors ("message",
// "feed").
func ReadLimited(r io.Reader, max int64, what string) ([]byte, error) {
	buf, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if int64(len(buf)) > max {
		return nil, music.Errorf(music.EINVALID, "%s is larger than the %d-byte limit", what, max)
	}
	return buf, nil
}

// Scan walks every token of buf before anything is decoded and rejects
// what the platform never accepts: DOCTYPE and ENTITY declarations (the door
// to external entities and entity expansion), malformed XML, non-UTF-8
// encodings, a second root element and text outside the root. It returns
// the root element's name for the caller to check. Every refusal is
// EINVALID and names the line.
func Scan(buf []byte) (xml.Name, error) {
	d := xml.NewDecoder(bytes.NewReader(buf))
	d.Strict = true
	var root xml.Name
	seen := false
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := d.InputPos()
		if err != nil {
			return xml.Name{}, music.Errorf(music.EINVALID, "malformed XML near line %d: %v", line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return xml.Name{}, music.Errorf(music.EINVALID, "line %d: DOCTYPE, DTD and ENTITY declarations are not allowed", line)
		case xml.StartElement:
			if depth == 0 {
				if seen {
					return xml.Name{}, music.Errorf(music.EINVALID, "line %d: second root element <%s>", line, t.Name.Local)
				}
				root, seen = t.Name, true
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return xml.Name{}, music.Errorf(music.EINVALID, "line %d: text outside the root element", line)
			}
		}
	}
	if !seen {
		return xml.Name{}, music.Errorf(music.EINVALID, "no root element")
	}
	return root, nil
}
