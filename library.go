package music

import (
	"context"
	"time"
)

// Kinds of things a user saves to their library.
const (
	LibraryTrack  = "track"
	LibraryAlbum  = "album"
	LibraryArtist = "artist"
)

// LibraryKinds lists every library kind.
var LibraryKinds = []string{LibraryTrack, LibraryAlbum, LibraryArtist}

// LibraryItem is one saved track, album or artist.
type LibraryItem struct {
	Kind    string
	ID      string
	SavedAt time.Time
}

// LibraryStore keeps each user's saved tracks, albums and artists.
// Implementation: sqlstore.
type LibraryStore interface {
	// SaveItems saves ids of one kind; saving a saved item keeps its
	// first SavedAt. An unknown kind is EINVALID.
	SaveItems(ctx context.Context, userID, kind string, ids []string) error
	// RemoveItems unsaves ids; unsaving an absent item is not an error.
	RemoveItems(ctx context.Context, userID, kind string, ids []string) error
	// LibraryItems lists one kind newest first, from offset, and returns
	// the total count.
	LibraryItems(ctx context.Context, userID, kind string, offset, limit int) ([]LibraryItem, int, error)
}
