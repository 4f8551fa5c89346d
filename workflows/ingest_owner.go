package workflows

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/ingest"
)

// senderAccount resolves the delivering label account from the token
// hash the delivery was started with. The message's SenderId is only
// reported: anyone can write any party ID into XML. No token, an invalid,
// revoked or expired one, or a non-label account is a ProblemSender.
func (a *Activities) senderAccount(ctx context.Context, in IngestDeliveryInput, message string) (string, *ingest.Problem, error) {
	problem := func(format string, args ...any) (string, *ingest.Problem, error) {
		return "", &ingest.Problem{File: message, Code: ingest.ProblemSender, Message: fmt.Sprintf(format, args...)}, nil
	}
	if in.SenderTokenSHA256 == "" {
		return problem("no label account delivered this: run musicctl ingest with the label's --token")
	}
	if a.Users == nil {
		return "", nil, permanent(music.Errorf(music.EINTERNAL, "worker has no user store to check the sender's token"))
	}
	u, err := a.Users.UserByTokenHash(ctx, in.SenderTokenSHA256)
	switch {
	case music.ErrorCode(err) == music.EUNAUTHORIZED:
		return problem("the sender's token is invalid, revoked or expired")
	case err != nil:
		return "", nil, err
	case u.Role != music.RoleLabel:
		return problem("account %s is a %s account; only label accounts deliver releases", u.Name, u.Role)
	}
	return u.ID, nil, nil
}

// ownerProblems lists every item of a delivery that account may not
// write: the release (or purged releases) and each ISRC owned by another
// label account, or existing from before ownership was recorded.
func (a *Activities) ownerProblems(ctx context.Context, account, message string, d *ingest.Delivery, plan *DeliveryPlan) (ingest.Problems, error) {
	if a.Owners == nil {
		return nil, permanent(music.Errorf(music.EINTERNAL, "worker has no ownership store"))
	}
	var ps ingest.Problems
	check := func(kind, id, path string) error {
		o, err := a.Owners.OwnerOf(ctx, kind, id)
		if err != nil {
			return err
		}
		if err := o.Allows(account); err != nil {
			ps = append(ps, ingest.Problem{File: message, Path: path, Code: ingest.ProblemOwner, Message: music.ErrorMessage(err)})
		}
		return nil
	}
	for i, id := range plan.PurgeReleaseIDs {
		if err := check(music.OwnRelease, id, fmt.Sprintf("/%s/PurgedRelease[%d]", ingest.KindPurgeRelease, i+1)); err != nil {
			return nil, err
		}
	}
	if plan.Release == nil {
		return ps, nil
	}
	relPath := ""
	if d.Release != nil {
		relPath = d.Release.Path
	}
	if err := check(music.OwnRelease, plan.Release.ID, relPath); err != nil {
		return nil, err
	}
	paths := map[string]string{}
	for _, sr := range d.SoundRecordings {
		if n, err := ingest.NormalizeISRC(sr.ISRC); err == nil {
			paths[n] = sr.Path + "/SoundRecordingEdition/ResourceId/ISRC"
		}
	}
	for _, t := range plan.Tracks {
		if err := check(music.OwnISRC, t.Track.ISRC, paths[t.Track.ISRC]); err != nil {
			return nil, err
		}
	}
	return ps, nil
}
