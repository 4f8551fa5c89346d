package ingest

import (
	"encoding/xml"

	music "github.com/openmusic/music"
)

// DefaultMaxMessageSize caps a DDEX message at 10 MB. The largest official
// ERN 4.3 sample is 330 kB and a 100-track album stays near 2 MB, so 10 MB
// leaves room for any real release while bounding what one delivery can
// make the parser hold in memory.
const DefaultMaxMessageSize = 10 << 20

// ernNamespace is the only ERN version this package reads.
const ernNamespace = "http://ddex.net/xml/ern/43"

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
