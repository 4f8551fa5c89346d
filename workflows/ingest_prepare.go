package workflows

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobfile"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/ingest"
	"github.com/openmusic/music/internal/blobcheck"
)

// PrepareDelivery copies the uploaded delivery to scratch space and
// validates it completely (ingest.Validator: XML safety, identifiers,
// hashes, every master decoded with the encode step's own decoders). A
// delivery with problems yields a plan that lists them all; a valid one
// yields the catalog records and one TrackInput per sound recording.
func (a *Activities) PrepareDelivery(ctx context.Context, in IngestDeliveryInput) (_ DeliveryPlan, err error) {
	defer a.Metrics.observeStage(StageValidate, time.Now(), &err)
	if !strings.HasSuffix(in.Prefix, "/") || blobcheck.Prefix(in.Prefix) != nil {
		return DeliveryPlan{}, permanent(music.Errorf(music.EINVALID, "delivery prefix %q must be a blob key prefix ending in /", in.Prefix))
	}
	set, stop := keepAlive(ctx, "download")
	defer stop()
	dir, err := a.scratchDir("delivery-")
	if err != nil {
		return DeliveryPlan{}, err
	}
	defer os.RemoveAll(dir)
	n := 0
	err = a.Blobs.List(ctx, in.Prefix, func(info music.BlobInfo) error {
		n++
		rel := strings.TrimPrefix(info.Key, in.Prefix)
		return blobfile.CopyToFile(ctx, a.Blobs, info.Key, filepath.Join(dir, filepath.FromSlash(rel)))
	})
	if err != nil {
		return DeliveryPlan{}, err
	}
	if n == 0 {
		return DeliveryPlan{}, permanent(music.Errorf(music.ENOTFOUND, "nothing is uploaded under %s", in.Prefix))
	}
	set(Heartbeat{Stage: "validate"})
	v := &ingest.Validator{Prober: ingest.ProberFunc(encode.ProbeSeconds)}
	rep, err := v.Validate(ctx, dir)
	if err != nil {
		return DeliveryPlan{}, err
	}
	plan := DeliveryPlan{Problems: rep.Problems}
	for i := range plan.Problems { // name files as the label knows them
		plan.Problems[i].Message = strings.ReplaceAll(plan.Problems[i].Message, dir+string(filepath.Separator), "")
	}
	d := rep.Delivery
	if d != nil {
		plan.Kind, plan.Sender, plan.MessageID = d.Kind, d.Header.SenderID, d.Header.MessageID
	}
	account, problem, err := a.senderAccount(ctx, in, rep.Message)
	if err != nil {
		return DeliveryPlan{}, err
	}
	if problem != nil {
		plan.Problems = append(plan.Problems, *problem)
	}
	if len(plan.Problems) > 0 {
		return plan, nil
	}
	plan.Account = account
	if d.Kind == ingest.KindPurgeRelease {
		for _, p := range d.Purged {
			id, err := (&ingest.Release{Reference: p.Path, ICPN: p.ICPN, GRid: p.GRid}).ID()
			if err != nil {
				plan.Problems = append(plan.Problems, ingest.Problem{File: rep.Message, Path: p.Path, Code: ingest.ProblemICPN, Message: err.Error()})
				continue
			}
			plan.PurgeReleaseIDs = append(plan.PurgeReleaseIDs, id)
		}
	} else {
		cr, err := d.Catalog()
		if err != nil {
			plan.Problems = append(plan.Problems, ingest.Problem{File: rep.Message, Code: ingest.ProblemLayout, Message: err.Error()})
			return plan, nil
		}
		plan.Release, plan.Deals = &cr.Release, cr.Deals
		for _, ct := range cr.Tracks {
			t, err := a.trackInput(ctx, in.Prefix, cr.Release, ct)
			if err != nil {
				return DeliveryPlan{}, err
			}
			t.Owner = account
			plan.Tracks = append(plan.Tracks, t)
		}
	}
	// Another label's release or ISRC rejects the whole delivery, a purge
	// included: a label only ever changes or withdraws its own.
	owned, err := a.ownerProblems(ctx, account, rep.Message, d, &plan)
	if err != nil {
		return DeliveryPlan{}, err
	}
	plan.Problems = append(plan.Problems, owned...)
	return plan, nil
}

// trackInput fills in where a track's master is and will be kept.
func (a *Activities) trackInput(ctx context.Context, prefix string, r music.Release, ct ingest.CatalogTrack) (TrackInput, error) {
	t := ct.Track
	src := prefix + ct.File
	info, err := a.Blobs.Stat(ctx, src)
	if err != nil {
		return TrackInput{}, fmt.Errorf("master of %s: %w", t.ISRC, err)
	}
	t.MasterKey = "masters/" + t.ID + "/" + path.Base(ct.File)
	t.MasterSHA256 = info.SHA256
	in := TrackInput{Track: t, SourceKey: src, PreviewStart: ct.PreviewStart, Tags: encode.Tags{
		Title:       t.Title,
		Album:       r.Title,
		TrackNumber: fmt.Sprint(t.TrackNumber),
		ISRC:        t.ISRC,
	}}
	var names []string
	for _, c := range t.Artists {
		names = append(names, c.Name)
	}
	in.Tags.Artist = strings.Join(names, ", ")
	return in, nil
}

// DiscardPrefix deletes everything under prefix (an upload that has been
// ingested or rejected).
func (a *Activities) DiscardPrefix(ctx context.Context, prefix string) error {
	if blobcheck.Prefix(prefix) != nil || !strings.HasSuffix(prefix, "/") {
		return permanent(music.Errorf(music.EINVALID, "discard: bad prefix %q", prefix))
	}
	return a.deleteUnder(ctx, prefix)
}

// DiscardTracks removes the renditions and masters of tracks that a
// failed delivery uploaded but the catalog does not know, so a failure
// leaves no orphaned blobs. Tracks already in the catalog keep theirs.
func (a *Activities) DiscardTracks(ctx context.Context, trackIDs []string) error {
	for _, id := range trackIDs {
		_, err := a.Catalog.Track(ctx, id, music.Visibility{})
		switch {
		case err == nil:
			continue
		case music.ErrorCode(err) != music.ENOTFOUND:
			return err
		}
		for _, p := range []string{"audio/" + id + "/", "masters/" + id + "/"} {
			if err := a.deleteUnder(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *Activities) deleteUnder(ctx context.Context, prefix string) error {
	var keys []string
	if err := a.Blobs.List(ctx, prefix, func(info music.BlobInfo) error {
		keys = append(keys, info.Key)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := a.Blobs.Delete(ctx, k); err != nil && music.ErrorCode(err) != music.ENOTFOUND {
			return err
		}
	}
	return nil
}
