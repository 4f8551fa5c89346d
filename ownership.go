package music

import (
	"context"
	"time"
)

// Kinds of catalog item a label account can own.
const (
	OwnRelease = "release" // a release, by release ID
	OwnISRC    = "isrc"    // a sound recording, by ISRC
)

// Owner says who owns one release or ISRC. Exists is true when the
// catalog already has the item; an existing item with an empty OwnerID
// predates ownership and must be assigned by ops before any label may
// deliver it again.
type Owner struct {
	Kind    string // OwnRelease or OwnISRC
	ID      string
	OwnerID string // the label account's user ID; "" when unowned
	Exists  bool
}

// Allows is nil when account may deliver the item o describes: it is new
// or already account's. Otherwise it is EFORBIDDEN saying why.
func (o Owner) Allows(account string) error {
	switch {
	case !o.Exists || o.OwnerID == account:
		return nil
	case o.OwnerID == "":
		return Errorf(EFORBIDDEN, "%s %s was delivered before ownership was recorded; ops must assign it (musicctl owners transfer) before a label can deliver it again", o.Kind, o.ID)
	}
	return Errorf(EFORBIDDEN, "%s %s belongs to another label account; ask ops to transfer it if it is yours", o.Kind, o.ID)
}

// Ownership records which label account owns each release and ISRC: the
// one that first delivered it. Another label's delivery that touches
// them is refused. Implementation: sqlstore.
type Ownership interface {
	// OwnerOf returns the owner of one release or ISRC. An item the
	// catalog does not have is Exists false, not an error.
	OwnerOf(ctx context.Context, kind, id string) (Owner, error)
	// TransferOwnership gives a release (with every ISRC on it) or a
	// single ISRC to the label account toUserID: the explicit ops action
	// that is the only way ownership changes. An unknown item is
	// ENOTFOUND; a user who is not a label is EINVALID.
	TransferOwnership(ctx context.Context, kind, id, toUserID string) error
}

// Review states.
const (
	ReviewPending  = "pending"
	ReviewAccepted = "accepted"
	ReviewRejected = "rejected"
)

// Review is a track held because its audio is the same recording as
// another label's track. Its release stays unpublished until ops accept
// every review of it.
type Review struct {
	ID             string
	ReleaseID      string
	TrackID        string
	ISRC           string
	OwnerID        string // the label that delivered the held track
	MatchedTrackID string // the other label's track
	MatchedOwnerID string
	Score          float64 // fingerprint agreement in [0,1]
	Status         string  // one of the Review* states
	CreatedAt      time.Time
	DecidedAt      time.Time // zero while pending
	DecidedBy      string    // user ID of the ops account
	Note           string
}

// ReviewID is the ID of the review of track against matched: one review
// per pair, so re-delivering a held track does not ask twice.
func ReviewID(trackID, matchedTrackID string) string {
	return "rv-" + trackID + "-" + matchedTrackID
}

// Reviews keeps the tracks held for review. Implementation: sqlstore.
type Reviews interface {
	// HoldForReview records reviews (new ones as pending, known ones
	// unchanged) and reports whether the release must stay unpublished:
	// some review of it is pending or rejected.
	HoldForReview(ctx context.Context, releaseID string, rs []Review) (held bool, err error)
	// ListReviews returns reviews in a state ("" for all), oldest first.
	ListReviews(ctx context.Context, status string, limit int) ([]Review, error)
	// DecideReview accepts or rejects a pending review as the ops user
	// by. It returns the review and whether its release may now be
	// published (no review of it is pending or rejected). A decided
	// review is ECONFLICT; an unknown one ENOTFOUND.
	DecideReview(ctx context.Context, id string, accept bool, by, note string) (Review, bool, error)
}
