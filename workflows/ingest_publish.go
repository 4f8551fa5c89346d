package workflows

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/fingerprint"
)

// PublishInput is a release whose tracks all succeeded.
type PublishInput struct {
	Release music.Release `json:"release"`
	Deals   []music.Deal  `json:"deals"`
	Tracks  []TrackResult `json:"tracks"`
	Owner   string        `json:"owner"` // the delivering label account
}

// Published is PublishRelease's result: the album gain, and whether the
// release was stored but held back for an ops review.
type Published struct {
	encode.Album
	Held bool `json:"held,omitempty"`
}

// PublishRelease computes the ReplayGain 2.0 album gain over every track,
// writes the release, its tracks, renditions, deals and fingerprints in
// one catalog transaction and makes it visible, then adds the new
// fingerprints to the dedup index and the release to search. Every step
// is idempotent, so a retry after a crash repeats it harmlessly.
//
// A release with a held track (the same audio as another label's) or any
// other review still pending or rejected is written but not published;
// ops publish it by accepting its reviews (Reviews.DecideReview).
//
// The rendition files were encoded before the album was complete, so
// their tags carry track gain only; the album gain is in the catalog (and
// the API), which is where players read it.
func (a *Activities) PublishRelease(ctx context.Context, in PublishInput) (_ Published, err error) {
	defer a.Metrics.observeStage(StagePublish, time.Now(), &err)
	louds := make([]encode.Loudness, len(in.Tracks))
	for i, t := range in.Tracks {
		louds[i] = t.Loudness.measured()
	}
	album, err := encode.AlbumGain(louds)
	if err != nil {
		return Published{}, permanent(err)
	}
	held, err := a.holdForReview(ctx, in)
	if err != nil {
		return Published{}, err
	}
	deals := in.Deals
	if deals == nil {
		deals = []music.Deal{} // replace earlier deals, even with none
	}
	pub := music.Publication{Release: in.Release, Deals: deals, Publish: !held, Owner: in.Owner}
	for _, t := range in.Tracks {
		track := t.Track
		track.ReplayGain.AlbumGain, track.ReplayGain.AlbumPeak = album.Gain, album.Peak
		pub.Tracks = append(pub.Tracks, track)
		pub.Renditions = append(pub.Renditions, t.Renditions...)
		if t.Fingerprint != nil {
			pub.Fingerprints = append(pub.Fingerprints, *t.Fingerprint)
		}
	}
	if err := a.Catalog.PutRelease(ctx, pub); err != nil {
		return Published{}, permanent(err)
	}
	for _, f := range pub.Fingerprints {
		if err := indexFingerprint(ctx, a.Fingerprints, f); err != nil {
			return Published{}, err
		}
	}
	if a.Search != nil {
		if err := a.Search.IndexRelease(ctx, in.Release.ID); err != nil {
			return Published{}, fmt.Errorf("search index %s: %w", in.Release.ID, err)
		}
	}
	return Published{Album: album, Held: held}, nil
}

// holdForReview records a review for each held track and reports whether
// the release must stay unpublished.
func (a *Activities) holdForReview(ctx context.Context, in PublishInput) (bool, error) {
	if a.Reviews == nil {
		return false, permanent(music.Errorf(music.EINTERNAL, "worker has no review store"))
	}
	var rs []music.Review
	for _, t := range in.Tracks {
		d := t.Track.Dedup
		if d.Decision != music.DedupHeld {
			continue
		}
		owner, err := a.trackOwner(ctx, d.MatchedTrackID)
		if err != nil {
			return false, err
		}
		rs = append(rs, music.Review{ReleaseID: in.Release.ID, TrackID: t.Track.ID, ISRC: t.Track.ISRC,
			OwnerID: in.Owner, MatchedTrackID: d.MatchedTrackID, MatchedOwnerID: owner, Score: d.Score})
	}
	return a.Reviews.HoldForReview(ctx, in.Release.ID, rs)
}

// trackOwner is the label account owning a track's ISRC ("" if none).
func (a *Activities) trackOwner(ctx context.Context, trackID string) (string, error) {
	if a.Owners == nil {
		return "", permanent(music.Errorf(music.EINTERNAL, "worker has no ownership store"))
	}
	t, err := a.Catalog.Track(ctx, trackID, music.Visibility{})
	if err != nil {
		return "", err
	}
	o, err := a.Owners.OwnerOf(ctx, music.OwnISRC, t.ISRC)
	return o.OwnerID, err
}

// TakedownReleases hides the releases a PurgeReleaseMessage names and
// returns those it found; unknown IDs are skipped (purging twice is fine).
func (a *Activities) TakedownReleases(ctx context.Context, ids []string) ([]string, error) {
	var done []string
	for _, id := range ids {
		err := a.Catalog.TakedownRelease(ctx, id)
		switch {
		case music.ErrorCode(err) == music.ENOTFOUND:
			continue
		case err != nil:
			return done, err
		}
		if a.Search != nil {
			if err := a.Search.IndexRelease(ctx, id); err != nil {
				return done, fmt.Errorf("search index %s: %w", id, err)
			}
		}
		done = append(done, id)
	}
	return done, nil
}

// indexFingerprint adds one catalog fingerprint to the dedup index.
func indexFingerprint(ctx context.Context, ix *fingerprint.Index, f music.Fingerprint) error {
	e, err := indexEntry(f)
	if err != nil {
		return permanent(err)
	}
	return ix.Add(ctx, f.TrackID, e)
}

func indexEntry(f music.Fingerprint) (fingerprint.Entry, error) {
	items, _, err := fingerprint.Decode(f.Fingerprint)
	if err != nil {
		return fingerprint.Entry{}, music.Errorf(music.EINVALID, "fingerprint of %s: %v", f.TrackID, err)
	}
	e := fingerprint.Entry{Items: items}
	if h, err := hex.DecodeString(f.PCMSHA256); err == nil && len(h) == len(e.PCMHash) {
		copy(e.PCMHash[:], h)
	}
	return e, nil
}

// SyncFingerprints makes the dedup index hold every fingerprint in the
// catalog, which is the record of truth: run at worker start, it repairs
// an index that missed a publish (a crash between the two) or is new on
// this machine. It returns how many entries it added and the IDs of
// tracks whose stored fingerprint does not decode (skipped, so one bad
// row cannot keep workers from starting). It reads every catalog
// fingerprint, 500 per query: a cost per worker start that grows with the
// catalog (about 5 kB per track), paid so the index never misses a track.
func SyncFingerprints(ctx context.Context, cat music.Catalog, ix *fingerprint.Index) (added int, bad []string, err error) {
	after := ""
	for {
		page, err := cat.Fingerprints(ctx, FingerprintAlgorithm, after, 500)
		if err != nil {
			return added, bad, err
		}
		if len(page) == 0 {
			return added, bad, nil
		}
		var ids []string
		var entries []fingerprint.Entry
		for _, f := range page {
			after = f.TrackID
			if ix.Contains(f.TrackID) {
				continue
			}
			e, err := indexEntry(f)
			if err != nil {
				bad = append(bad, f.TrackID)
				continue
			}
			ids, entries = append(ids, f.TrackID), append(entries, e)
		}
		if len(ids) == 0 {
			continue
		}
		if err := ix.AddMany(ctx, ids, entries); err != nil {
			return added, bad, err
		}
		added += len(ids)
	}
}
