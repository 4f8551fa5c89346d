package music

import (
	"context"
	"time"
)

// Kinds of things a share link opens.
const (
	ShareTrack    = "track"
	ShareAlbum    = "album"
	SharePlaylist = "playlist"
)

// ShareKinds lists every share kind.
var ShareKinds = []string{ShareTrack, ShareAlbum, SharePlaylist}

// ShareTokenPrefix starts every share token, so a pasted link is easy to
// tell from a bearer token.
const ShareTokenPrefix = "sh_"

// Share is a link someone made to a track, album or playlist. The token
// that opens it is shown once, at creation; only its SHA-256 is kept.
type Share struct {
	ID        string // names the share for its creator (revocation)
	Kind      string // one of ShareKinds
	TargetID  string
	CreatorID string
	CreatedAt time.Time
}

// ShareStore keeps share links. Implementation: sqlstore.
//
// Whether the creator may see what they share (a private playlist, a
// release in their territory) is the caller's to check first; the store
// checks only that a shared playlist exists.
type ShareStore interface {
	// CreateShare makes a share and returns it with its token. An unknown
	// kind is EINVALID; an unknown playlist ENOTFOUND.
	CreateShare(ctx context.Context, creatorID, kind, targetID string) (*Share, string, error)
	// ShareByToken returns the share a token opens; an unknown or revoked
	// token is ENOTFOUND.
	ShareByToken(ctx context.Context, token string) (*Share, error)
	// RevokeShare ends a share for good. Its creator may revoke it, and
	// so may the owner of a shared playlist; anyone else gets ENOTFOUND,
	// as for an unknown or already revoked share.
	RevokeShare(ctx context.Context, actorID, shareID string) error
	// SharesOf lists the live shares creatorID made, newest first.
	SharesOf(ctx context.Context, creatorID string, offset, limit int) ([]Share, int, error)
}
