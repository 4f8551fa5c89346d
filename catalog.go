package music

import (
	"context"
	"time"
)

// Rungs of the rendition ladder: the four Vorbis bitrates (kbps) and the
// MP3 preview. They are also the file names under audio/{track_id}/.
const (
	Rung24      = "24"
	Rung96      = "96"
	Rung160     = "160"
	Rung320     = "320"
	RungPreview = "preview"
)

// Rungs lists every rung in ladder order, lowest bitrate first.
var Rungs = []string{Rung24, Rung96, Rung160, Rung320, RungPreview}

// Release states. Only a published release can be seen by listeners.
const (
	ReleasePending   = "pending"    // stored, waiting for every track
	ReleasePublished = "published"  // visible where a deal allows it
	ReleaseTakenDown = "taken_down" // hidden by a purge or a takedown
)

// Dedup decisions recorded on a track by the ingest workflow.
const (
	DedupNew           = "new"            // no earlier recording matched
	DedupSameRecording = "same_recording" // the same audio as MatchedTrackID
	DedupSimilar       = "similar"        // close to MatchedTrackID, kept apart
	// DedupHeld: the same audio as MatchedTrackID, which another label
	// owns; encoded on its own and held for an ops review (see Reviews).
	DedupHeld = "held"
)

// Territory used by deals that apply everywhere (DDEX's spelling).
const Worldwide = "Worldwide"

// Artist is a performer, band or other contributor credited on releases
// and tracks.
type Artist struct {
	ID   string
	Name string
}

// ArtistCredit names an artist on a release or a track with a role (DDEX
// display artist roles such as "MainArtist" or "FeaturedArtist"). Writes
// upsert the artist from ArtistID and Name; an empty Name refers to an
// artist that must already exist.
type ArtistCredit struct {
	ArtistID string
	Name     string
	Role     string
}

// Release is an album, EP or single as a label delivered it.
type Release struct {
	ID          string
	UPC         string // ICPN: UPC or EAN
	Title       string
	Label       string
	ReleaseDate string // YYYY, YYYY-MM or YYYY-MM-DD as delivered
	Genre       string
	PLine       string
	CLine       string
	CoverKey    string // blob key of the cover image, if any
	Sender      string // DDEX sender party ID of the last delivery
	MessageID   string // DDEX MessageId of the last delivery
	Artists     []ArtistCredit
	Status      string    // one of the Release* states; set by the store
	UpdatedAt   time.Time // set by the store
	PublishedAt time.Time // set by the store; zero until first published

	// Filled on read.
	Tracks []Track // in disc/track order
	Deals  []Deal
}

// ReplayGainReference is ReplayGain 2.0's target loudness, in LUFS.
const ReplayGainReference = -18.0

// ReplayGain holds the ReplayGain 2.0 values of a track: gains in dB
// towards the ReplayGainReference, peaks as linear sample amplitude.
type ReplayGain struct {
	TrackGain float64
	TrackPeak float64
	AlbumGain float64
	AlbumPeak float64
}

// Dedup is the outcome of comparing a new track's fingerprint with the
// catalog.
type Dedup struct {
	Decision       string  // one of the Dedup* decisions; "" before ingest decides
	MatchedTrackID string  // the earlier track it matched, if any
	Score          float64 // similarity in [0,1]
}

// Track is one sound recording on a release.
type Track struct {
	ID           string
	ReleaseID    string
	ISRC         string
	Title        string
	Version      string // "Remastered 2011", "Radio Edit", …
	DiscNumber   int
	TrackNumber  int
	Duration     time.Duration
	Genre        string
	Explicit     bool
	PLine        string
	PreviewStart time.Duration // where the 30 s preview begins
	// Popularity (0–100) is computed by the platform. Writes of a release
	// set it only for a new track; re-publishing keeps the stored value.
	Popularity    int
	ReplayGain    ReplayGain
	LoudnessLUFS  float64 // integrated loudness (EBU R128)
	LoudnessRange float64 // LU
	MasterKey     string  // blob key of the original master
	MasterSHA256  string  // of the delivered file, to skip re-encoding
	Dedup         Dedup
	Artists       []ArtistCredit
	// AudioFeatures are measured at ingest; nil when not measured yet (a
	// write with nil keeps the stored features).
	AudioFeatures *AudioFeatures

	// Filled on read.
	ReleaseTitle  string
	ReleaseStatus string
	// Renditions are in ladder order. A same-recording duplicate stored
	// without audio of its own gets those of its MatchedTrackID.
	Renditions []Rendition
}

// TrackMetadata is the part of a track a label may change by re-delivering
// it under the same ISRC without new audio.
type TrackMetadata struct {
	Title        string
	Version      string
	Genre        string
	Explicit     bool
	PLine        string
	PreviewStart time.Duration
	// Artists replaces the credits when non-nil.
	Artists []ArtistCredit
}

// Rendition is one encoded file of a track in the blob store.
type Rendition struct {
	TrackID    string
	Rung       string // one of Rungs
	BlobKey    string // e.g. audio/{track_id}/160.ogg
	Bytes      int64
	SHA256     string // lowercase hex
	Codec      string // "vorbis", "mp3"
	Bitrate    int    // nominal, bits per second
	SampleRate int    // Hz
	Channels   int
	Samples    int64 // per channel
}

// Deal is a release's licence to be used in some territories for a time.
// A deal is valid at instant t when Start <= t and (End is zero or t < End):
// End is exclusive, so a DDEX end date D becomes the midnight after D.
type Deal struct {
	// Territories are ISO 3166-1 alpha-2 codes or Worldwide.
	Territories []string
	// ExcludedTerritories are carved out of Territories (DDEX
	// ExcludedTerritoryCode, usually beside Worldwide).
	ExcludedTerritories []string
	Start               time.Time
	End                 time.Time // zero: open-ended
	CommercialModel     string    // e.g. "SubscriptionModel"
	UseTypes            []string  // e.g. "OnDemandStream", "Stream"
}

// Fingerprint is a track's acoustic fingerprint and the hash of its decoded
// audio, used for exact and near duplicate detection.
type Fingerprint struct {
	TrackID     string
	Algorithm   string // e.g. "chromaprint2"
	Fingerprint string // compressed, base64url as fpcalc prints it
	PCMSHA256   string // of the decoded PCM, lowercase hex
	Duration    time.Duration
}

// Publication is everything a delivery writes for one release. The store
// writes it in one transaction.
type Publication struct {
	Release Release
	// Tracks carry their artist credits. Tracks of the release that are
	// not listed stay as they are.
	Tracks []Track
	// Renditions are upserted by (track, rung); rungs not listed are kept,
	// so a metadata-only update can leave them out.
	Renditions []Rendition
	// Deals replace the release's earlier deals when non-nil.
	Deals []Deal
	// Fingerprints are upserted by (track, algorithm).
	Fingerprints []Fingerprint
	// Publish makes the release visible at commit. When false a new
	// release is stored as pending and an existing one keeps its state.
	Publish bool
	// Owner is the user ID of the label account delivering. When set, the
	// write is refused (EFORBIDDEN) if the release or any ISRC belongs to
	// another account or predates ownership, and new ones become Owner's.
	// Empty: an ops or tool write that neither checks nor claims.
	Owner string
}

// Visibility says who is looking: a listener in Territory at instant At.
// They see only published releases with a deal valid there and then. The
// zero value is the ops view, which sees everything in any state. A
// non-zero value with a zero At means "now".
type Visibility struct {
	Territory string // ISO 3166-1 alpha-2
	At        time.Time
}

// Catalog is the catalog database: releases as labels deliver them and
// the views listeners are allowed to see. A missing or hidden item is
// ENOTFOUND, so hidden releases are indistinguishable from absent ones.
// Implementation: sqlstore (SQLite or PostgreSQL).
type Catalog interface {
	// PutRelease writes a whole release atomically: artists, release,
	// tracks with their credits, renditions, deals and fingerprints.
	// Writing the same publication twice changes nothing. An ISRC held by
	// another track is ECONFLICT; malformed input is EINVALID.
	PutRelease(ctx context.Context, p Publication) error
	// PublishRelease makes a stored release visible (also after takedown).
	PublishRelease(ctx context.Context, releaseID string) error
	// TakedownRelease hides a release from listeners; ops still see it.
	TakedownRelease(ctx context.Context, releaseID string) error
	// UpdateTrackMetadata replaces the metadata of the track with isrc and
	// returns the updated track (ops view).
	UpdateTrackMetadata(ctx context.Context, isrc string, m TrackMetadata) (*Track, error)

	// Track returns a track with its credits and renditions.
	Track(ctx context.Context, id string, v Visibility) (*Track, error)
	// TracksByID returns, keyed by ID, those of ids that v may see, as
	// Track returns them: one read for a whole list.
	TracksByID(ctx context.Context, ids []string, v Visibility) (map[string]*Track, error)
	// TrackByISRC returns the track recorded under isrc.
	TrackByISRC(ctx context.Context, isrc string, v Visibility) (*Track, error)
	// Release returns a release with its tracks in disc/track order.
	Release(ctx context.Context, id string, v Visibility) (*Release, error)
	// Artist returns an artist and the releases v can see on which the
	// artist is credited (on the release or on a track), newest first. With
	// a listener's view an artist with no visible release is ENOTFOUND.
	Artist(ctx context.Context, id string, v Visibility) (*Artist, []Release, error)
	// NewReleases returns one page of the releases v can see, newest
	// first by release date, then by ID, with their artist credits (no
	// tracks or deals), and the number of releases v can see in all. A
	// listener's view sees only releases with a deal in force in its
	// territory at its instant; a negative offset or limit is EINVALID.
	NewReleases(ctx context.Context, v Visibility, offset, limit int) ([]Release, int, error)

	// TracksByPCMHash returns every track, in any state, whose decoded
	// audio has this SHA-256: the exact-duplicate lookup.
	TracksByPCMHash(ctx context.Context, pcmSHA256 string) ([]Track, error)
	// Tracks returns up to limit tracks with IDs after the given one, in ID
	// order, in any state, with credits and release title: pages for
	// reindexing. An empty page means the end.
	Tracks(ctx context.Context, afterID string, limit int) ([]Track, error)
	// Fingerprints returns up to limit fingerprints of one algorithm with
	// track IDs after the given one, in track ID order: pages for loading a
	// match index. An empty page means the end.
	Fingerprints(ctx context.Context, algorithm, afterTrackID string, limit int) ([]Fingerprint, error)
	// Count returns the number of rows in one of the store's tables
	// (sqlstore.CatalogTables): a check that nothing was half-written.
	Count(ctx context.Context, table string) (int64, error)
}
