package catalogtest

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// testOwnership: the first label to write a release or ISRC owns it; a
// write by another label is EFORBIDDEN and changes nothing; only a
// transfer changes the owner. Items written before ownership (no owner
// on the write) must be assigned before a label writes them.
func testOwnership(t *testing.T, e *env) {
	a, _, err := e.s.CreateUser(e.ctx, "label-a", music.RoleLabel, "GB")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := e.s.CreateUser(e.ctx, "label-b", music.RoleLabel, "GB")
	if err != nil {
		t.Fatal(err)
	}
	fan, _, err := e.s.CreateUser(e.ctx, "fan", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	p := Publication(1, 2)
	p.Owner = a.ID
	e.put(p)
	for _, it := range []music.Owner{{Kind: music.OwnRelease, ID: "rel-1"}, {Kind: music.OwnISRC, ID: p.Tracks[1].ISRC}} {
		if o, err := e.s.OwnerOf(e.ctx, it.Kind, it.ID); err != nil || o.OwnerID != a.ID || !o.Exists {
			t.Errorf("OwnerOf(%s %s) = %+v, %v; want %s", it.Kind, it.ID, o, err, a.ID)
		}
	}
	if o, err := e.s.OwnerOf(e.ctx, music.OwnISRC, "QZ9999999999"); err != nil || o.Exists || o.OwnerID != "" {
		t.Errorf("OwnerOf an unknown ISRC = %+v, %v", o, err)
	}
	before := e.counts()

	// B rewrites A's release; B puts A's ISRC on its own release.
	deface := Publication(1, 1)
	deface.Release.Title, deface.Owner = "Defaced", b.ID
	steal := Publication(2, 1)
	steal.Tracks[0].ISRC, steal.Owner = p.Tracks[0].ISRC, b.ID
	for name, q := range map[string]music.Publication{"rewrite": deface, "steal ISRC": steal} {
		wantCode(t, "B's "+name, e.s.PutRelease(e.ctx, q), music.EFORBIDDEN)
	}
	if r, err := e.s.Release(e.ctx, "rel-1", music.Visibility{}); err != nil || r.Title != "Album 1" {
		t.Errorf("A's release after B's writes: %+v, %v", r, err)
	}
	if after := e.counts(); !equalCounts(before, after) {
		t.Errorf("refused writes changed rows: %v -> %v", before, after)
	}

	// An unowned legacy release must be assigned first.
	legacy := Publication(3, 1)
	e.put(legacy)
	legacy.Owner = b.ID
	wantCode(t, "a label writing a legacy release", e.s.PutRelease(e.ctx, legacy), music.EFORBIDDEN)

	// Transfers.
	wantCode(t, "transfer to a listener", e.s.TransferOwnership(e.ctx, music.OwnRelease, "rel-1", fan.ID), music.EINVALID)
	wantCode(t, "transfer of nothing", e.s.TransferOwnership(e.ctx, music.OwnRelease, "rel-9", b.ID), music.ENOTFOUND)
	wantCode(t, "transfer of a bad kind", e.s.TransferOwnership(e.ctx, "album", "rel-1", b.ID), music.EINVALID)
	for _, it := range []struct{ kind, id string }{{music.OwnRelease, "rel-1"}, {music.OwnRelease, "rel-3"}} {
		if err := e.s.TransferOwnership(e.ctx, it.kind, it.id, b.ID); err != nil {
			t.Fatalf("transfer %s %s: %v", it.kind, it.id, err)
		}
	}
	if o, err := e.s.OwnerOf(e.ctx, music.OwnISRC, p.Tracks[1].ISRC); err != nil || o.OwnerID != b.ID {
		t.Errorf("a release transfer left its ISRC with %+v, %v", o, err)
	}
	e.put(deface) // now B's
	e.put(legacy)
	p.Release.Title = "A again"
	wantCode(t, "A after the transfer", e.s.PutRelease(e.ctx, p), music.EFORBIDDEN)
}

// testReviews: a held release stays held while any review of it is
// pending or rejected; a decision is final.
func testReviews(t *testing.T, e *env) {
	r := func(track, matched string) music.Review {
		return music.Review{ReleaseID: "rel-5", TrackID: track, ISRC: "QZ" + track, OwnerID: "usr_b",
			MatchedTrackID: matched, MatchedOwnerID: "usr_a", Score: 0.98}
	}
	held, err := e.s.HoldForReview(e.ctx, "rel-5", []music.Review{r("t1", "m1"), r("t2", "m2")})
	if err != nil || !held {
		t.Fatalf("HoldForReview = %v, %v; want held", held, err)
	}
	if held, err := e.s.HoldForReview(e.ctx, "rel-6", nil); err != nil || held {
		t.Errorf("a release without reviews: held %v, %v", held, err)
	}
	wantCode(t, "review of another release", func() error {
		_, err := e.s.HoldForReview(e.ctx, "rel-6", []music.Review{r("t1", "m1")})
		return err
	}(), music.EINVALID)
	e.clock.Set(epoch.Add(time.Hour))
	id1, id2 := music.ReviewID("t1", "m1"), music.ReviewID("t2", "m2")
	if rv, ok, err := e.s.DecideReview(e.ctx, id1, true, "usr_ops", "ok"); err != nil || ok || rv.Status != music.ReviewAccepted ||
		rv.DecidedBy != "usr_ops" || !rv.DecidedAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("accept 1 of 2: %+v publishable %v, %v", rv, ok, err)
	}
	_, _, err = e.s.DecideReview(e.ctx, id1, false, "usr_ops", "")
	wantCode(t, "deciding twice", err, music.ECONFLICT)
	_, _, err = e.s.DecideReview(e.ctx, "rv-none", true, "usr_ops", "")
	wantCode(t, "unknown review", err, music.ENOTFOUND)
	if _, ok, err := e.s.DecideReview(e.ctx, id2, true, "usr_ops", ""); err != nil || !ok {
		t.Errorf("accept the last: publishable %v, %v", ok, err)
	}
	// Asking again about an accepted pair holds nothing.
	if held, err := e.s.HoldForReview(e.ctx, "rel-5", []music.Review{r("t1", "m1")}); err != nil || held {
		t.Errorf("re-delivery after acceptance: held %v, %v", held, err)
	}
	pending, err := e.s.ListReviews(e.ctx, music.ReviewPending, 10)
	all, err2 := e.s.ListReviews(e.ctx, "", 10)
	if err != nil || err2 != nil || len(pending) != 0 || len(all) != 2 || all[0].ID != id1 {
		t.Errorf("ListReviews: pending %+v (%v), all %+v (%v)", pending, err, all, err2)
	}
	_, err = e.s.ListReviews(e.ctx, "open", 10)
	wantCode(t, "bad status", err, music.EINVALID)
}

// testTokenLifetime: tokens can expire and be revoked, one or all.
func testTokenLifetime(t *testing.T, e *env) {
	_, first, err := e.s.CreateUser(e.ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	short, err := e.s.IssueToken(e.ctx, "alice", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	long, err := e.s.IssueToken(e.ctx, "alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{first, short, long} {
		if _, err := e.s.UserByToken(e.ctx, tok); err != nil {
			t.Errorf("fresh token: %v", err)
		}
	}
	e.clock.Set(epoch.Add(time.Hour))
	_, err = e.s.UserByToken(e.ctx, short)
	wantCode(t, "expired token", err, music.EUNAUTHORIZED)
	_, err = e.s.UserByTokenHash(e.ctx, music.TokenHash(short))
	wantCode(t, "expired token by hash", err, music.EUNAUTHORIZED)
	if err := e.s.RevokeToken(e.ctx, first); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.UserByToken(e.ctx, first)
	wantCode(t, "revoked token", err, music.EUNAUTHORIZED)
	wantCode(t, "revoking twice", e.s.RevokeToken(e.ctx, first), music.ENOTFOUND)
	if _, err := e.s.UserByToken(e.ctx, long); err != nil {
		t.Errorf("the other token stopped working: %v", err)
	}
	if n, err := e.s.RevokeTokens(e.ctx, "alice"); err != nil || n != 2 {
		t.Errorf("RevokeTokens = %d, %v; want the 2 left (one expired)", n, err)
	}
	_, err = e.s.UserByToken(e.ctx, long)
	wantCode(t, "after revoking all", err, music.EUNAUTHORIZED)
	_, err = e.s.RevokeTokens(e.ctx, "nobody")
	wantCode(t, "revoke for an unknown user", err, music.ENOTFOUND)
	_, err = e.s.IssueToken(e.ctx, "alice", -time.Second)
	wantCode(t, "negative lifetime", err, music.EINVALID)
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
