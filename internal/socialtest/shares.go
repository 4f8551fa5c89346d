package socialtest

import (
	"context"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// testShares makes share links, opens them by token, lists and revokes
// them.
func testShares(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	p, err := s.CreatePlaylist(ctx, a, "A's secret", "", false)
	if err != nil {
		t.Fatal(err)
	}
	sh, token, err := s.CreateShare(ctx, a, music.SharePlaylist, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, music.ShareTokenPrefix) || len(token) < 40 || sh.ID == "" || sh.CreatorID != a || sh.CreatedAt.IsZero() {
		t.Errorf("share %+v token %q: want an ID, the creator, a time and a long sh_ token", sh, token)
	}
	got, err := s.ShareByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sh.ID || got.Kind != music.SharePlaylist || got.TargetID != p.ID {
		t.Errorf("share by token %+v, want %+v", got, sh)
	}
	_, _, err = s.CreateShare(ctx, b, music.ShareTrack, "trk-1")
	if err != nil {
		t.Fatal(err)
	}
	_, token2, err := s.CreateShare(ctx, a, music.ShareAlbum, "rel-1")
	if err != nil {
		t.Fatal(err)
	}
	if token2 == token {
		t.Error("two shares got the same token")
	}
	mine, total, err := s.SharesOf(ctx, a, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(mine) != 2 || mine[0].Kind != music.ShareAlbum {
		t.Errorf("a's shares %+v (total %d), want the album then the playlist", mine, total)
	}
	// Only the creator (or the playlist's owner) may revoke, and the
	// others cannot tell the share exists.
	wantCode(t, "b revokes a's share", s.RevokeShare(ctx, b, sh.ID), music.ENOTFOUND)
	if err := s.RevokeShare(ctx, a, sh.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ShareByToken(ctx, token)
	wantCode(t, "revoked token", err, music.ENOTFOUND)
	wantCode(t, "revoke twice", s.RevokeShare(ctx, a, sh.ID), music.ENOTFOUND)
	if _, total, _ := s.SharesOf(ctx, a, 0, 10); total != 1 {
		t.Errorf("a has %d live shares after revoking one, want 1", total)
	}
}

// testOwnerRevokesShare: a collaborator's share of a private playlist
// can be ended by the playlist's owner.
func testOwnerRevokesShare(t *testing.T, s Store) {
	ctx := context.Background()
	owner := user(t, s, "owner", music.RoleListener)
	collab := user(t, s, "collab", music.RoleListener)
	p, err := s.CreatePlaylist(ctx, owner, "Ours", "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetCollaborator(ctx, p.ID, owner, 0, collab, true); err != nil {
		t.Fatal(err)
	}
	sh, token, err := s.CreateShare(ctx, collab, music.SharePlaylist, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeShare(ctx, owner, sh.ID); err != nil {
		t.Fatalf("owner revokes a collaborator's share: %v", err)
	}
	if _, err := s.ShareByToken(ctx, token); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("token after the owner revoked it: %v, want not found", err)
	}
}

// testBadShares: nothing is made of a bad kind, an unknown playlist or a
// bad token.
func testBadShares(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	_, _, err := s.CreateShare(ctx, a, "user", "x")
	wantCode(t, "share a user", err, music.EINVALID)
	_, _, err = s.CreateShare(ctx, a, music.SharePlaylist, "pl_nope")
	wantCode(t, "share an unknown playlist", err, music.ENOTFOUND)
	_, _, err = s.CreateShare(ctx, a, music.ShareTrack, "")
	wantCode(t, "share no id", err, music.EINVALID)
	for _, tok := range []string{"", "sh_nope", strings.Repeat("x", 5000)} {
		_, err = s.ShareByToken(ctx, tok)
		wantCode(t, "bad token", err, music.ENOTFOUND)
	}
	if _, total, _ := s.SharesOf(ctx, a, 0, 10); total != 0 {
		t.Errorf("%d shares after bad calls, want 0", total)
	}
}
