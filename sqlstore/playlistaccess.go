package sqlstore

import (
	"slices"

	music "github.com/openmusic/music"
)

// canEdit reports whether userID may change p's entries: its owner or a
// collaborator.
func canEdit(p *music.Playlist, userID string) bool {
	return p.OwnerID == userID || slices.Contains(p.Collaborators, userID)
}

// canRead reports whether userID may see p: a public one, or one they
// may edit.
func canRead(p *music.Playlist, userID string) bool { return p.Public || canEdit(p, userID) }
