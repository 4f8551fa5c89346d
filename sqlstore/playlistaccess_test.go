package sqlstore

import (
	"testing"

	music "github.com/openmusic/music"
)

func TestPlaylistAccess(t *testing.T) {
	private := &music.Playlist{OwnerID: "owner", Collaborators: []string{"c1", "c2"}}
	public := &music.Playlist{OwnerID: "owner", Public: true}
	for _, c := range []struct {
		name          string
		p             *music.Playlist
		user          string
		read, canEdit bool
	}{
		{"owner", private, "owner", true, true},
		{"second collaborator", private, "c2", true, true},
		{"stranger, private", private, "stranger", false, false},
		{"stranger, public", public, "stranger", true, false},
		{"no user, private", private, "", false, false},
	} {
		if got := canRead(c.p, c.user); got != c.read {
			t.Errorf("%s: canRead = %v, want %v", c.name, got, c.read)
		}
		if got := canEdit(c.p, c.user); got != c.canEdit {
			t.Errorf("%s: canEdit = %v, want %v", c.name, got, c.canEdit)
		}
	}
}
