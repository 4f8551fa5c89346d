package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	music "github.com/openmusic/music"
)

// maxReadableWorkflowID bounds the readable form of a workflow ID; longer
// sender/message pairs are hashed instead (Temporal allows 1000 bytes).
const maxReadableWorkflowID = 200

// WorkflowID derives the IngestDelivery workflow ID from the sender's
// Party ID and the MessageId, the pair DDEX makes unique per message. The
// same message delivered twice gets the same ID, so Temporal starts nothing
// new and returns the first run's result.
//
// Form: "ingest:" + QueryEscape(sender) + ":" + QueryEscape(messageID),
// e.g. "ingest:PADPIDA2013042401U:Test1.1". Escaping makes the mapping
// one-to-one (a ':' inside either part becomes %3A). When that is longer
// than 200 bytes the form is "ingest:sha256:" + hex(SHA-256(sender + "\x00"
// + messageID)). Both parts must be non-empty.
func WorkflowID(senderID, messageID string) (string, error) {
	if senderID == "" || messageID == "" {
		return "", music.Errorf(music.EINVALID, "workflow ID needs both the sender PartyId and the MessageId (got %q, %q)", senderID, messageID)
	}
	id := "ingest:" + url.QueryEscape(senderID) + ":" + url.QueryEscape(messageID)
	if len(id) <= maxReadableWorkflowID {
		return id, nil
	}
	sum := sha256.Sum256([]byte(senderID + "\x00" + messageID))
	return "ingest:sha256:" + hex.EncodeToString(sum[:]), nil
}

// ReleaseID is the catalog ID of a release: "rel-" + its ICPN as a
// 14-digit GTIN, e.g. "rel-00195999000015". UPC-A, EAN-13 and GTIN-14
// spellings of one product give the same ID. The ICPN must be valid.
func ReleaseID(icpn string) (string, error) {
	g, err := NormalizeICPN(icpn)
	if err != nil {
		return "", music.Errorf(music.EINVALID, "release ID: %v", err)
	}
	return "rel-" + g, nil
}

// TrackID is the catalog ID of a track: "trk-" + its ISRC, upper-case
// without hyphens, e.g. "trk-QZES72600001". Blob keys use it
// (audio/{track_id}/…), and it contains only [a-z0-9A-Z-]. The ISRC must
// be valid.
func TrackID(isrc string) (string, error) {
	n, err := NormalizeISRC(isrc)
	if err != nil {
		return "", music.Errorf(music.EINVALID, "track ID: %v", err)
	}
	return "trk-" + n, nil
}

// ID returns the release's catalog ID: ReleaseID of its ICPN, or, for a
// message that identifies the release only by GRid, "rel-grid-" + the
// upper-cased 18-character GRid.
func (r *Release) ID() (string, error) {
	if r.ICPN != "" {
		return ReleaseID(r.ICPN)
	}
	g := strings.ToUpper(r.GRid)
	if len(g) != 18 || strings.Trim(g, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return "", music.Errorf(music.EINVALID, "release %s has no ICPN and no valid GRid", r.Reference)
	}
	return "rel-grid-" + g, nil
}
