package music

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Playlist is a user's ordered list of tracks. Only the owner renames,
// deletes, re-scopes it and picks collaborators; the owner and the
// collaborators edit its entries; anyone may read a public one.
type Playlist struct {
	ID            string
	OwnerID       string
	Name          string
	Description   string
	Public        bool
	Collaborators []string // user IDs, in the order they were added
	// Editorial playlists are owned by EditorialOwnerID and made by a
	// curator (an ops or label account) with a cover image.
	Editorial bool
	CuratorID string
	CoverURL  string
	// Version counts accepted writes; every write makes it one higher.
	// Clients send it back in If-Match to edit what they saw.
	Version    int64
	TrackCount int // live entries
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// PlaylistEntry is one occurrence of a track in a playlist. Its ID is
// stable for the entry's life: edits name entries by ID, never by
// position, so concurrent edits cannot hit the wrong row.
type PlaylistEntry struct {
	ID       string
	TrackID  string
	AddedBy  string
	AddedAt  time.Time
	Position int // index among live entries, filled on read
}

// Playlist edit kinds.
const (
	EditAdd    = "add"
	EditRemove = "remove"
	EditMove   = "move"
)

// PlaylistEdit changes a playlist's entries. Add inserts TrackIDs; Remove
// drops EntryIDs; Move puts EntryIDs, in the given order, at one place.
//
// The place is After (an entry ID: insert right after it), or Position (an
// index among live entries: insert before the entry there; 0 is the
// start, the entry count the end), or neither: the end. After may name a
// removed entry; the new entries then go where it was, which is why an
// insert "after S2" and a concurrent "remove S2" give the same list in
// either order. A move may not name a removed entry: that is a
// *RemovedEntryError, while removing one again succeeds.
type PlaylistEdit struct {
	Kind     string
	TrackIDs []string
	EntryIDs []string
	After    string
	Position *int
}

// PlaylistUpdate changes a playlist's own fields; nil leaves one as is.
// CoverURL is set only through the editorial routes: a listener's cover
// would make every viewer's browser fetch a URL of that listener's choice.
type PlaylistUpdate struct {
	Name        *string
	Description *string
	Public      *bool
	CoverURL    *string
}

// Playlist change kinds that are not entry edits.
const (
	ChangeCreate       = "create"
	ChangeUpdate       = "update"
	ChangeCollaborator = "collaborators"
	ChangeDelete       = "delete"
)

// PlaylistChange is one accepted write, as live viewers receive it: enough
// to apply to a copy of the playlist at Version-1 and reach Version.
type PlaylistChange struct {
	PlaylistID string
	Version    int64
	Kind       string // an Edit* or Change* kind
	ActorID    string
	At         time.Time
	// Add and move: the entries at their new place, in order, placed right
	// after the live entry After ("" = at the start).
	Entries []PlaylistEntry
	After   string
	// Remove: the entries removed.
	Removed []string
	// Update and collaborators: the playlist after the change.
	Playlist *Playlist
}

// StaleVersionError is the ECONFLICT of a write whose If-Match version is
// not the playlist's; Current is what the client should re-read.
type StaleVersionError struct {
	PlaylistID string
	Want       int64
	Current    int64
}

func (e *StaleVersionError) Error() string {
	return fmt.Sprintf("playlist %s is at version %d, not %d: re-read it and retry", e.PlaylistID, e.Current, e.Want)
}

// Unwrap gives the domain error, so ErrorCode is ECONFLICT.
func (e *StaleVersionError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// RemovedEntryError is the ECONFLICT of a move naming entries that another
// edit removed: there is nothing left to move, and taking it as done would
// tell the mover their order stands when it does not. Nothing is written;
// Current is the playlist's version, for the client to re-read.
type RemovedEntryError struct {
	PlaylistID string
	EntryIDs   []string
	Current    int64
}

func (e *RemovedEntryError) Error() string {
	return fmt.Sprintf("move: entries %q were removed from playlist %s (now at version %d): re-read it", e.EntryIDs, e.PlaylistID, e.Current)
}

// Unwrap gives the domain error, so ErrorCode is ECONFLICT.
func (e *RemovedEntryError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Error()} }

// CurrentVersion returns the current version carried by a conflict in
// err's chain: a stale If-Match or a move of removed entries.
func CurrentVersion(err error) (int64, bool) {
	var e *StaleVersionError
	if errors.As(err, &e) {
		return e.Current, true
	}
	var r *RemovedEntryError
	if errors.As(err, &r) && r.PlaylistID != "" {
		return r.Current, true
	}
	return 0, false
}

// MaxPlaylistEntries bounds one playlist, so every edit stays cheap.
const MaxPlaylistEntries = 10000

// PlaylistStore keeps playlists, their entries and their change log.
// actorID is the authenticated caller; a caller who may not see a playlist
// gets EFORBIDDEN (an unknown ID is ENOTFOUND), one who may see but not
// change it EFORBIDDEN. ifVersion 0 means "whatever is current"; any
// other value that is not current is a *StaleVersionError. Every write
// returns the change it made. Implementation: sqlstore.
type PlaylistStore interface {
	CreatePlaylist(ctx context.Context, ownerID, name, description string, public bool) (*Playlist, error)
	Playlist(ctx context.Context, id, actorID string) (*Playlist, error)
	// PlaylistsOf lists what userID owns or collaborates on, newest first.
	PlaylistsOf(ctx context.Context, userID string, offset, limit int) ([]Playlist, int, error)
	UpdatePlaylist(ctx context.Context, id, actorID string, ifVersion int64, u PlaylistUpdate) (*PlaylistChange, error)
	DeletePlaylist(ctx context.Context, id, actorID string, ifVersion int64) (*PlaylistChange, error)
	// SetCollaborator adds (or with add false removes) userID; owner only.
	SetCollaborator(ctx context.Context, id, actorID string, ifVersion int64, userID string, add bool) (*PlaylistChange, error)
	// Entries returns live entries [offset, offset+limit) and the playlist.
	Entries(ctx context.Context, id, actorID string, offset, limit int) ([]PlaylistEntry, *Playlist, error)
	EditPlaylist(ctx context.Context, id, actorID string, ifVersion int64, e PlaylistEdit) (*PlaylistChange, error)
	// Changes returns the changes after version since, oldest first: at
	// most limit of them (at most MaxChangesPage; limit <= 0 means that),
	// so a client far behind reads its history page by page.
	Changes(ctx context.Context, id, actorID string, since int64, limit int) ([]PlaylistChange, error)
}

// MaxChangesPage is the most changes one Changes call returns.
const MaxChangesPage = 500
