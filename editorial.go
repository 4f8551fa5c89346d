package music

import "context"

// EditorialOwnerID is the platform's editorial account, which owns every
// editorial playlist. It has no token: curators act on its playlists
// through the editorial routes.
const EditorialOwnerID = "usr_editorial"

// EditorialPlaylist is what a curator (ops, or a label for its own
// recordings) gives to make an editorial playlist.
type EditorialPlaylist struct {
	Name        string
	Description string
	CoverURL    string // an https URL of the cover image
	TrackIDs    []string
}

// MaxEditorialTracks bounds one editorial playlist at creation.
const MaxEditorialTracks = 500

// EditorialStore keeps editorial playlists and finds public playlists.
// Which tracks a curator may include is the caller's to check first.
// Implementation: sqlstore.
type EditorialStore interface {
	// CreateEditorialPlaylist makes a public playlist owned by
	// EditorialOwnerID, curated by curatorID, with its tracks. A bad name,
	// description or cover URL is EINVALID, and nothing is made.
	CreateEditorialPlaylist(ctx context.Context, curatorID string, p EditorialPlaylist) (*Playlist, error)
	// FeaturedPlaylists lists editorial playlists, newest first, and
	// their total.
	FeaturedPlaylists(ctx context.Context, offset, limit int) ([]Playlist, int, error)
	// SearchPlaylists lists public playlists whose name holds every word
	// (case-insensitive), editorial ones first, then by followers, and
	// their total.
	SearchPlaylists(ctx context.Context, words []string, offset, limit int) ([]Playlist, int, error)
}
