package workflows

import (
	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/ingest"
)

// IngestDeliveryInput names an uploaded delivery: one delivery folder
// (a DDEX message and its resources) copied under Prefix in the blob store.
type IngestDeliveryInput struct {
	Prefix string `json:"prefix"` // e.g. "incoming/3f2a…/", ends in "/"
	// SenderTokenSHA256 is music.TokenHash of the bearer token of the
	// label account delivering (musicctl ingest --token). That account,
	// not the message's self-asserted SenderId, is the sender.
	SenderTokenSHA256 string `json:"sender_token_sha256"`
}

// Delivery outcomes (IngestReport.Status).
const (
	StatusPublished = "published" // every track ingested, release visible
	StatusPurged    = "purged"    // a PurgeReleaseMessage took releases down
	StatusRejected  = "rejected"  // validation found problems; nothing written
	StatusFailed    = "failed"    // a track failed; nothing published
	StatusHeld      = "held"      // stored but unpublished: a track awaits an ops review
)

// Track outcomes (TrackReport.Status).
const (
	TrackEncoded   = "encoded"   // new audio: fingerprinted, measured, encoded, uploaded
	TrackLinked    = "linked"    // same recording as an existing track: shares its renditions
	TrackUnchanged = "unchanged" // same ISRC and master as before: metadata only
	TrackFailed    = "failed"
)

// DeliveryPlan is what PrepareDelivery found in an uploaded delivery.
type DeliveryPlan struct {
	Kind   string `json:"kind"`
	Sender string `json:"sender"` // the message's SenderId, as reported
	// Account is the user ID of the label account that delivered: the
	// owner of everything this delivery creates.
	Account   string          `json:"account"`
	MessageID string          `json:"message_id"`
	Problems  ingest.Problems `json:"problems"` // non-empty: reject the delivery
	// Release and Tracks are set for a valid NewReleaseMessage.
	Release *music.Release `json:"release,omitempty"`
	Deals   []music.Deal   `json:"deals,omitempty"`
	Tracks  []TrackInput   `json:"tracks,omitempty"`
	// PurgeReleaseIDs are the releases a valid PurgeReleaseMessage
	// withdraws.
	PurgeReleaseIDs []string `json:"purge_release_ids,omitempty"`
}

// TrackInput is the IngestTrack child workflow's input.
type TrackInput struct {
	// Track is the catalog metadata with MasterKey (where the master will
	// be kept) and MasterSHA256 (of the delivered file) filled in.
	Track music.Track `json:"track"`
	// SourceKey is the delivered master in the incoming area.
	SourceKey string `json:"source_key"`
	// PreviewStart is the label's clip start in seconds; nil: pick the hook.
	PreviewStart *float64    `json:"preview_start,omitempty"`
	Tags         encode.Tags `json:"tags"`
	// Owner is the delivering label account: the same audio owned by
	// another account is held for review, never linked.
	Owner string `json:"owner"`
}

// TrackLoudness is a loudness measurement that survives serialisation:
// the block energies travel with it so the release step can compute the
// ReplayGain album gain over every track.
type TrackLoudness struct {
	encode.Loudness
	Blocks []float64 `json:"blocks"`
}

func newTrackLoudness(l encode.Loudness) TrackLoudness {
	return TrackLoudness{Loudness: l, Blocks: l.GatingBlocks()}
}

func (t TrackLoudness) measured() encode.Loudness { return t.WithGatingBlocks(t.Blocks) }

// TrackResult is what IngestTrack produced for the release step.
type TrackResult struct {
	Status      string             `json:"status"` // TrackEncoded, TrackLinked or TrackUnchanged
	Track       music.Track        `json:"track"`  // with dedup decision and loudness
	Renditions  []music.Rendition  `json:"renditions"`
	Fingerprint *music.Fingerprint `json:"fingerprint,omitempty"` // nil when unchanged
	Loudness    TrackLoudness      `json:"loudness"`
}

// IngestReport is the IngestDelivery workflow's result: what happened to
// the release and to each of its tracks.
type IngestReport struct {
	WorkflowID string          `json:"workflow_id"`
	Sender     string          `json:"sender"`
	Account    string          `json:"account,omitempty"` // the label account that delivered
	MessageID  string          `json:"message_id"`
	Status     string          `json:"status"`
	Reason     string          `json:"reason,omitempty"` // why it was not published
	Problems   ingest.Problems `json:"problems,omitempty"`
	ReleaseID  string          `json:"release_id,omitempty"`
	Title      string          `json:"title,omitempty"`
	AlbumGain  *encode.Album   `json:"album_gain,omitempty"`
	Purged     []string        `json:"purged,omitempty"`
	Tracks     []TrackReport   `json:"tracks"`
	Seconds    float64         `json:"seconds"` // workflow start to end
}

// TrackReport is one line of the final report.
type TrackReport struct {
	ISRC       string            `json:"isrc"`
	TrackID    string            `json:"track_id"`
	Title      string            `json:"title"`
	Status     string            `json:"status"`
	Error      string            `json:"error,omitempty"`
	Dedup      music.Dedup       `json:"dedup"`
	Loudness   *encode.Loudness  `json:"loudness,omitempty"`
	Renditions []music.Rendition `json:"renditions,omitempty"`
}

// Progress is the answer to the "progress" query of IngestDelivery.
type Progress struct {
	Stage  string          `json:"stage"` // prepare, tracks, publish, done
	Tracks []TrackProgress `json:"tracks"`
}

// TrackProgress is one track in Progress. A running track's current step
// is the "stage" query of its child workflow, and its fraction the
// heartbeat of the activity in flight (see Heartbeat).
type TrackProgress struct {
	ISRC       string `json:"isrc"`
	TrackID    string `json:"track_id"`
	Title      string `json:"title"`
	WorkflowID string `json:"workflow_id"` // the IngestTrack child
	Status     string `json:"status"`      // waiting, running, a Track* outcome
}

// Query names.
const (
	QueryProgress = "progress"
	QueryStage    = "stage"
)
