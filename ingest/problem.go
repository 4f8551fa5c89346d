package ingest

import (
	"fmt"
	"strings"

	music "github.com/openmusic/music"
)

// Problem codes, stable for scripts reading `musicctl ingest --dry-run --json`.
const (
	ProblemLayout       = "layout"       // folder or batch structure
	ProblemXML          = "xml"          // unreadable, unsafe or oversized message
	ProblemMetadata     = "metadata"     // a required value is missing or malformed
	ProblemISRC         = "isrc"         // ISRC format
	ProblemICPN         = "icpn"         // UPC/EAN format or check digit
	ProblemVideoOnly    = "video_only"   // nothing to stream as audio
	ProblemURI          = "uri"          // unsafe or unusable file URI
	ProblemMissingFile  = "missing_file" // referenced file is absent
	ProblemUnreferenced = "unreferenced" // file in the folder no resource names
	ProblemHash         = "hash"         // HashSum absent, unsupported or wrong
	ProblemAudio        = "audio"        // undecodable or unsupported audio
	ProblemDuration     = "duration"     // declared and decoded lengths differ
	ProblemSender       = "sender"       // no valid label account token came with the delivery
	ProblemOwner        = "owner"        // a release or ISRC belongs to another label account
)

// Problem is one thing wrong with a delivery, with where it is: a file
// (relative to the delivery folder) and, inside a message, an XML path such
// as /NewReleaseMessage/ResourceList/SoundRecording[2]/SoundRecordingEdition/ResourceId/ISRC.
type Problem struct {
	File    string `json:"file,omitempty"`
	Path    string `json:"path,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String renders "file: path: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in a delivery, in the order found.
type Problems []Problem

// Err returns nil when there are no problems and otherwise an EINVALID
// error that lists them all.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return music.Errorf(music.EINVALID, "delivery rejected, %d problem(s):\n%s", len(ps), strings.Join(lines, "\n"))
}

// Has reports whether a problem with code is present.
func (ps Problems) Has(code string) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}

func (ps *Problems) add(file, path, code, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}
