package music

import (
	"context"
	"time"
)

// Show is a podcast as its feed describes it. Podcasts come from the open
// RSS ecosystem, not from label deliveries: the service polls the feed.
type Show struct {
	ID          string
	FeedURL     string
	GUID        string // podcast:guid, stable across feed moves
	Title       string
	Author      string
	Description string
	ImageURL    string
	Language    string
	Explicit    bool
	// Locked is podcast:locked "yes": the owner forbids other hosting
	// platforms to import the feed.
	Locked bool
}

// Why a show was taken down, as PodcastStore.TakeDownShow records it;
// each completes "the show was …".
const (
	// ShowRemovedByOps: ops removed an abusive show.
	ShowRemovedByOps = "removed by ops"
	// ShowLockedByOwner: a poll found the feed locked (podcast:locked
	// yes), so its owner no longer allows the platform to import it.
	ShowLockedByOwner = "locked by its owner"
)

// EpisodeIDPrefix starts every episode ID; track IDs never start with it,
// so one ID space names audio of either.
const EpisodeIDPrefix = "ep_"

// Episode is one item of a show's feed.
type Episode struct {
	ID          string
	ShowID      string
	GUID        string // the item's identity within its show
	Title       string
	Description string
	Season      int // 0 when the feed gives none
	Number      int // 0 when the feed gives none
	PublishedAt time.Time
	Duration    time.Duration // as the feed claims; measured at fetch
	Explicit    bool
	Enclosure   Enclosure
	// Chapters and Transcript are Podcasting 2.0 links, "" when absent.
	Chapters   Link
	Transcript Link
	// Hidden is set when the feed no longer lists the episode: it is
	// kept, never deleted silently, but not shown.
	Hidden bool
	// Audio is nil until the enclosure has been fetched and encoded; only
	// then is the episode published. AudioError says why the last fetch
	// failed, "" when it did not.
	Audio      *EpisodeAudio
	AudioError string
}

// EpisodeAudio is an episode's audio as the service keeps and serves it.
type EpisodeAudio struct {
	SourceURL      string // the enclosure URL it was fetched from
	OriginalKey    string // blob key of the enclosure as published
	OriginalSHA256 string
	OriginalBytes  int64
	Duration       time.Duration // measured from the audio
	// LoudnessLUFS is the renditions' programme loudness, after GainDB
	// was applied to the original's OriginalLUFS.
	LoudnessLUFS float64
	OriginalLUFS float64
	GainDB       float64
	Renditions   []Rendition // TrackID holds the episode ID
	// Files are the episode's chapters and transcript as fetched with
	// the audio, one entry per link the feed gave.
	Files []EpisodeFile
}

// EpisodeFile is a chapters or transcript file the service fetched and
// keeps beside the audio, or why it could not (Error, with no Key): a bad
// side file never holds an episode back.
type EpisodeFile struct {
	Kind   string `json:"kind"` // EpisodeChapters or EpisodeTranscript
	Type   string `json:"type"` // media type, as the feed declares it
	Key    string `json:"key,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int64  `json:"bytes,omitempty"`
	Error  string `json:"error,omitempty"`
}

// The kinds of EpisodeFile.
const (
	EpisodeChapters   = "chapters"
	EpisodeTranscript = "transcript"
)

// File returns the episode's stored file of kind, or nil.
func (a *EpisodeAudio) File(kind string) *EpisodeFile {
	for i := range a.Files {
		if a.Files[i].Kind == kind && a.Files[i].Key != "" {
			return &a.Files[i]
		}
	}
	return nil
}

// Enclosure is an episode's audio file as the feed announces it.
type Enclosure struct {
	URL    string
	Type   string
	Length int64 // bytes the feed claims; 0 when unknown
}

// Link is a URL with its media type.
type Link struct {
	URL  string
	Type string
}

// FeedState is what the poller keeps about a feed between polls.
type FeedState struct {
	ETag         string
	LastModified string
	PolledAt     time.Time
	Failures     int    // consecutive failed polls, for the backoff
	LastError    string // "" after a good poll
}

// PodcastStore keeps shows, their episodes and their feeds' state.
// Implementation: sqlstore.
type PodcastStore interface {
	// AddShow registers a feed URL. A URL already registered returns its
	// show with created false; one whose show was taken down is
	// ECONFLICT (only RestoreShow brings it back).
	AddShow(ctx context.Context, feedURL string) (show *Show, created bool, err error)
	// Show returns a show; an unknown ID is ENOTFOUND, and so is a show
	// taken down, its message naming the reason ("show … was locked by
	// its owner").
	Show(ctx context.Context, id string) (*Show, error)
	// TakeDownShow hides a show, for reason (ShowRemovedByOps or
	// ShowLockedByOwner): Show, Shows, followed shows and search's
	// visible IDs leave it and its episodes out. Nothing is deleted,
	// episodes and audio included. Idempotent, and the first reason
	// stays; an unknown ID is ENOTFOUND.
	TakeDownShow(ctx context.Context, id, reason string) error
	// RestoreShow undoes TakeDownShow. Idempotent; an unknown ID is
	// ENOTFOUND.
	RestoreShow(ctx context.Context, id string) error
	// Shows pages through every show that is up in ID order, after the given ID
	// ("" for the first page), for reindexing and bulk polling.
	Shows(ctx context.Context, after string, limit int) ([]Show, error)
	// SyncFeed stores one good poll in a single transaction: the show's
	// metadata, episodes matched by guid (new ones added, changed ones
	// updated), episodes the feed dropped hidden, and the feed state with
	// no failure. It returns the episodes whose audio must be fetched: the
	// new ones, those whose enclosure URL changed and those still without
	// audio (an earlier fetch failed). A new guid carrying
	// the enclosure of an episode the feed dropped means the feed changed
	// its guid scheme: EUNPROCESSABLE, and nothing is written, so no
	// episode is duplicated.
	SyncFeed(ctx context.Context, showID string, meta Show, episodes []Episode, state FeedState) ([]Episode, error)
	// RecordPoll stores a poll that changed nothing or failed.
	RecordPoll(ctx context.Context, showID string, state FeedState) error
	// FeedState returns what the last poll left.
	FeedState(ctx context.Context, showID string) (FeedState, error)
	// Episodes lists a show's published episodes (not hidden, with
	// audio) newest first, from offset, with their total.
	Episodes(ctx context.Context, showID string, offset, limit int) ([]Episode, int, error)
	// Episode returns one episode, hidden ones included; an unknown ID is
	// ENOTFOUND.
	Episode(ctx context.Context, id string) (*Episode, error)
	// SetEpisodeAudio publishes an episode's audio and clears its error.
	// When the episode's enclosure changed since the fetch began
	// (a.SourceURL is no longer it) the audio is stale: ECONFLICT, and
	// nothing is written.
	SetEpisodeAudio(ctx context.Context, episodeID string, a EpisodeAudio) error
	// SetEpisodeAudioError records why fetching an episode's audio
	// failed; audio published before stays.
	SetEpisodeAudioError(ctx context.Context, episodeID, msg string) error
}

// FollowedShow is a show a listener follows, with how many of its
// published episodes they have not finished.
type FollowedShow struct {
	Show
	FollowedAt time.Time
	Unplayed   int
}

// EpisodeProgress is how far a listener got in an episode.
type EpisodeProgress struct {
	Position  time.Duration
	Completed bool // reached the end once; stays set
	UpdatedAt time.Time
}

// PodcastListening keeps listeners' follows and resume positions.
// Implementation: sqlstore.
type PodcastListening interface {
	// FollowShow is idempotent; an unknown show is ENOTFOUND.
	FollowShow(ctx context.Context, userID, showID string) error
	// UnfollowShow is idempotent.
	UnfollowShow(ctx context.Context, userID, showID string) error
	// FollowedShows lists the shows a user follows, newest follow first,
	// with their total.
	FollowedShows(ctx context.Context, userID string, offset, limit int) ([]FollowedShow, int, error)
	// SetEpisodePosition stores a position reported at `at`. A report
	// older than the stored one is ignored, so crossing reports from two
	// devices keep the latest. An unknown episode is ENOTFOUND.
	SetEpisodePosition(ctx context.Context, userID, episodeID string, p EpisodeProgress) error
	// EpisodePosition returns the stored progress; zero when none.
	EpisodePosition(ctx context.Context, userID, episodeID string) (EpisodeProgress, error)
}

// EpisodePlay is one reported play of an episode. Episode plays never
// enter the music event log, so never the royalty pool or the charts:
// they are kept apart, for each show's listening statistics.
type EpisodePlay struct {
	EventID   string // the client's idempotency key
	UserID    string // "" for an anonymous play
	EpisodeID string
	DeviceID  string
	PlayedAt  time.Time
	Listened  time.Duration
	Completed bool
}

// ShowDay is one UTC day of a show's listening.
type ShowDay struct {
	Day       string // YYYY-MM-DD
	Plays     int
	Listeners int // distinct signed-in listeners
	Listened  time.Duration
	Completed int
}

// EpisodePlays keeps episode plays and sums them per show and day.
// Implementation: sqlstore.
type EpisodePlays interface {
	// RecordEpisodePlay stores a play once per EventID; a repeat reports
	// duplicate. An unknown episode is ENOTFOUND.
	RecordEpisodePlay(ctx context.Context, p EpisodePlay) (duplicate bool, err error)
	// ShowStats sums a show's plays per day from `from` to `to`
	// (YYYY-MM-DD, inclusive), oldest first; days without plays are left
	// out.
	ShowStats(ctx context.Context, showID, from, to string) ([]ShowDay, error)
}
