package music

import (
	"context"
	"time"
)

// Settings are a listener's privacy choices.
type Settings struct {
	// PrivateSession hides what the user plays from everyone while on.
	PrivateSession bool
	// ShareActivity is the account-level "share my listening" switch;
	// off hides the user's activity from everyone.
	ShareActivity bool
}

// DefaultSettings are those of an account that never changed them.
var DefaultSettings = Settings{ShareActivity: true}

// HidesActivity reports whether these settings hide the user's listening.
func (s Settings) HidesActivity() bool { return s.PrivateSession || !s.ShareActivity }

// SettingsUpdate changes some settings; nil leaves one as is.
type SettingsUpdate struct {
	PrivateSession *bool
	ShareActivity  *bool
}

// Block is one user another has blocked.
type Block struct {
	UserID    string
	BlockedAt time.Time
}

// PrivacyStore keeps settings and blocks. Implementation: sqlstore.
//
// A block is one-way: the blocked user no longer follows the blocker and
// cannot follow them again, sees no profile of theirs and none of their
// activity; to them the blocker looks like an unknown user.
type PrivacyStore interface {
	// Settings returns a user's settings (DefaultSettings if never set).
	Settings(ctx context.Context, userID string) (Settings, error)
	// UpdateSettings applies u and returns the settings after it.
	UpdateSettings(ctx context.Context, userID string, u SettingsUpdate) (Settings, error)
	// Block blocks 1 to MaxFollowIDs users and removes their follows of
	// userID, in one transaction. Blocking oneself is EINVALID, an
	// unknown user ENOTFOUND, and then nothing changes.
	Block(ctx context.Context, userID string, ids []string) error
	// Unblock removes blocks; an absent one is not an error.
	Unblock(ctx context.Context, userID string, ids []string) error
	// Blocks lists whom userID blocked, newest first, and their total.
	Blocks(ctx context.Context, userID string, offset, limit int) ([]Block, int, error)
	// HasBlocked reports whether userID blocked otherID.
	HasBlocked(ctx context.Context, userID, otherID string) (bool, error)
	// ActivityVisible returns those of ids whose listening viewerID may
	// see now: sharing on, no private session, not blocking viewerID.
	ActivityVisible(ctx context.Context, viewerID string, ids []string) ([]string, error)
}
