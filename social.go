package music

import (
	"context"
	"time"
)

// Kinds of things a user follows.
const (
	FollowArtist   = "artist"
	FollowUser     = "user"
	FollowPlaylist = "playlist"
)

// FollowKinds lists every follow kind.
var FollowKinds = []string{FollowArtist, FollowUser, FollowPlaylist}

// MaxFollowIDs bounds one follow, unfollow or contains call, as in the
// Spotify Web API.
const MaxFollowIDs = 50

// Follow is one thing a user follows.
type Follow struct {
	Kind       string
	ID         string
	FollowedAt time.Time
}

// FollowPage is one page of what a user follows, ordered by ID. After is
// the cursor of the next page ("" on the last one).
type FollowPage struct {
	Items []Follow
	Total int
	After string
}

// FollowStore keeps who follows what, with a follower count per followed
// thing that is exact under concurrent follows and unfollows: it changes
// only when a follow is really added or removed, in the same transaction.
// Implementation: sqlstore.
//
// The store checks what it can see itself: a followed user must be a
// listener account other than the follower (ENOTFOUND, EINVALID), a
// followed playlist must exist (ENOTFOUND). Whether the follower may
// read a playlist, and whether an artist is visible in their territory,
// is the caller's to check first.
type FollowStore interface {
	// Follow adds follows of one kind (1 to MaxFollowIDs ids); following
	// again keeps the first FollowedAt. An unknown kind, a bad id count or
	// following oneself is EINVALID, and nothing changes.
	Follow(ctx context.Context, userID, kind string, ids []string) error
	// Unfollow removes follows; an absent one is not an error.
	Unfollow(ctx context.Context, userID, kind string, ids []string) error
	// Following lists one kind in ID order, starting after the cursor
	// after ("" from the start), at most limit of them.
	Following(ctx context.Context, userID, kind, after string, limit int) (*FollowPage, error)
	// FollowsNewest lists one kind newest first from offset, with the
	// total: the library's view of followed playlists.
	FollowsNewest(ctx context.Context, userID, kind string, offset, limit int) ([]Follow, int, error)
	// FollowsContain reports, for each id, whether userID follows it.
	FollowsContain(ctx context.Context, userID, kind string, ids []string) ([]bool, error)
	// FollowerCount returns how many users follow the thing.
	FollowerCount(ctx context.Context, kind, id string) (int, error)
}

// ProfileStore reads accounts as others see them. Implementation:
// sqlstore.
type ProfileStore interface {
	// UserByID returns an account; an unknown ID is ENOTFOUND.
	UserByID(ctx context.Context, id string) (*User, error)
	// UsersByID returns the accounts of those of ids (at most
	// MaxActivityIDs) that exist, in no particular order.
	UsersByID(ctx context.Context, ids []string) ([]User, error)
	// PublicPlaylistsOf lists the public playlists userID owns, newest
	// first, and their total.
	PublicPlaylistsOf(ctx context.Context, userID string, offset, limit int) ([]Playlist, int, error)
}
