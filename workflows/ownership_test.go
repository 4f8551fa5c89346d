package workflows

import (
	"context"
	"path/filepath"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
)

// label creates a label account and returns its token.
func (r *ingestRig) label(name string) string {
	r.t.Helper()
	_, token, err := r.cat.CreateUser(context.Background(), name, music.RoleLabel, "GB")
	if err != nil {
		r.t.Fatal(err)
	}
	return token
}

// hasProblem reports whether rep lists a problem with code.
func hasProblem(rep IngestReport, code string) bool {
	for _, p := range rep.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// TestIngestOwnership: releases and ISRCs belong to the label account
// that first delivered them. Label B cannot re-deliver A's ISRC, rewrite
// A's release or purge it, whatever SenderId B's XML claims; a delivery
// without a label token is refused.
func TestIngestOwnership(t *testing.T) {
	cuts := testmusic.Dir(t, "cuts")
	rig := newIngestRig(t)
	ctx := context.Background()
	a, b := rig.label("label-a"), rig.label("label-b")
	knolls := filepath.Join(cuts, "knolls-8s.flac")
	album := deliverytest.Release{UPC: deliverytest.UPC(41), Sender: "PADPIDA2026112701X", Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 41), Title: "Knolls", Source: knolls},
	}}
	first := rig.ingestAs(a, writeDelivery(t, album))
	if first.Status != StatusPublished {
		t.Fatalf("A's delivery: %+v", first)
	}
	relID := first.ReleaseID
	stillA := func(step string) {
		t.Helper()
		rel, err := rig.cat.Release(ctx, relID, music.Visibility{Territory: "GB"})
		if err != nil {
			t.Fatalf("%s: A's release is gone for listeners: %v", step, err)
		}
		if len(rel.Tracks) != 1 || rel.Tracks[0].Title != "Knolls" || rel.Title == "Defaced" {
			t.Errorf("%s: A's release changed: %q %+v", step, rel.Title, rel.Tracks)
		}
		tr, err := rig.cat.TrackByISRC(ctx, album.Tracks[0].ISRC, music.Visibility{})
		if err != nil || tr.ReleaseID != relID || tr.Title != "Knolls" {
			t.Errorf("%s: A's ISRC now %+v (%v)", step, tr, err)
		}
	}

	// B delivers A's ISRC on a release of its own, claiming A's party ID.
	steal := deliverytest.Release{UPC: deliverytest.UPC(42), Sender: album.Sender, MessageID: "B-1", Tracks: []deliverytest.Track{
		{ISRC: album.Tracks[0].ISRC, Title: "Stolen", Source: knolls},
	}}
	if rep := rig.ingestAs(b, writeDelivery(t, steal)); rep.Status != StatusRejected || !hasProblem(rep, "owner") {
		t.Errorf("B's delivery of A's ISRC: status %s, problems %+v; want rejected with an owner problem", rep.Status, rep.Problems)
	}
	stillA("B delivered A's ISRC")

	// B re-delivers A's release (same UPC) with a track of its own.
	overwrite := deliverytest.Release{UPC: album.UPC, Title: "Defaced", MessageID: "B-2", Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 42), Title: "Other", Source: filepath.Join(cuts, "battle-20s.wav")},
	}}
	if rep := rig.ingestAs(b, writeDelivery(t, overwrite)); rep.Status != StatusRejected || !hasProblem(rep, "owner") {
		t.Errorf("B's delivery of A's release: status %s, problems %+v; want rejected with an owner problem", rep.Status, rep.Problems)
	}
	stillA("B delivered A's release")

	// B purges A's release.
	purge := t.TempDir()
	if err := deliverytest.WritePurge(purge, album.Sender, "B-purge", album.UPC); err != nil {
		t.Fatal(err)
	}
	if rep := rig.ingestAs(b, purge); len(rep.Purged) != 0 || rep.Status != StatusRejected {
		t.Errorf("B's purge of A's release: status %s, purged %v; want rejected, nothing purged", rep.Status, rep.Purged)
	}
	stillA("B purged A's release")

	// No token: nobody delivered it.
	if rep := rig.ingestAs("", writeDelivery(t, deliverytest.Release{UPC: deliverytest.UPC(43), MessageID: "anon", Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 43), Title: "Anon", Source: knolls},
	}})); rep.Status != StatusRejected || !hasProblem(rep, "sender") {
		t.Errorf("delivery without a sender token: status %s, problems %+v; want rejected with a sender problem", rep.Status, rep.Problems)
	}

	// A's own purge works.
	purge = t.TempDir()
	if err := deliverytest.WritePurge(purge, album.Sender, "A-purge", album.UPC); err != nil {
		t.Fatal(err)
	}
	if rep := rig.ingestAs(a, purge); rep.Status != StatusPurged || len(rep.Purged) != 1 {
		t.Errorf("A's purge: %+v", rep)
	}
}

// TestIngestHoldsSameAudioFromAnotherLabel: label B delivering audio
// identical to label A's under a new ISRC is not linked to A's recording
// and not published; it waits for an ops review.
func TestIngestHoldsSameAudioFromAnotherLabel(t *testing.T) {
	cuts := testmusic.Dir(t, "cuts")
	rig := newIngestRig(t)
	ctx := context.Background()
	a, b := rig.label("label-a"), rig.label("label-b")
	knolls := filepath.Join(cuts, "knolls-8s.flac")
	if rep := rig.ingestAs(a, writeDelivery(t, deliverytest.Release{UPC: deliverytest.UPC(51), Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 51), Title: "Knolls", Source: knolls},
	}})); rep.Status != StatusPublished {
		t.Fatalf("A's delivery: %+v", rep)
	}
	copyB := deliverytest.Release{UPC: deliverytest.UPC(52), MessageID: "B-1", Tracks: []deliverytest.Track{
		{ISRC: deliverytest.ISRC(26, 52), Title: "Knolls (B)", Source: knolls},
	}}
	rep := rig.ingestAs(b, writeDelivery(t, copyB))
	if rep.Status != "held" || rep.Tracks[0].Status == TrackLinked {
		t.Errorf("B's copy of A's audio: status %s, track %s; want held and not linked", rep.Status, rep.Tracks[0].Status)
	}
	if _, err := rig.cat.Release(ctx, rep.ReleaseID, music.Visibility{Territory: "GB"}); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("held release is visible to listeners: %v", err)
	}
	// The report ops act on names both tracks and both owners.
	rs, err := rig.cat.ListReviews(ctx, music.ReviewPending, 10)
	if err != nil || len(rs) != 1 {
		t.Fatalf("pending reviews: %+v %v", rs, err)
	}
	aID, _ := rig.cat.UserByToken(ctx, a)
	bID, _ := rig.cat.UserByToken(ctx, b)
	if r := rs[0]; r.TrackID != rep.Tracks[0].TrackID || r.MatchedTrackID != "trk-"+deliverytest.ISRC(26, 51) ||
		r.OwnerID != bID.ID || r.MatchedOwnerID != aID.ID || r.Score < 0.99 || r.ReleaseID != rep.ReleaseID {
		t.Errorf("review %+v", r)
	}
	// Rejected, it stays down even when B delivers it again.
	if _, ok, err := rig.cat.DecideReview(ctx, rs[0].ID, false, "ops", "not licensed"); err != nil || ok {
		t.Fatalf("reject: publishable %v, %v", ok, err)
	}
	copyB.MessageID = "B-2"
	if again := rig.ingestAs(b, writeDelivery(t, copyB)); again.Status != StatusHeld {
		t.Errorf("re-delivery after a rejection: %s, want held", again.Status)
	}
	if _, err := rig.cat.Release(ctx, rep.ReleaseID, music.Visibility{Territory: "GB"}); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("rejected release is visible to listeners: %v", err)
	}
}
