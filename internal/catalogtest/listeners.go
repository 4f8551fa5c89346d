package catalogtest

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// ListenerStore is what SeedListeners writes to (sqlstore on SQLite or
// PostgreSQL).
type ListenerStore interface {
	PutRelease(ctx context.Context, p music.Publication) error
	CreateUser(ctx context.Context, name, role, country string) (*music.User, string, error)
}

// SeedListeners stores one release (Publication(1, nTracks); storing it
// again changes nothing) and nUsers listeners named prefix0…, in GB, DE
// and US in turn, for playback tests. It returns their bearer tokens and
// the track IDs.
func SeedListeners(ctx context.Context, st ListenerStore, prefix string, nUsers, nTracks int) (tokens, tracks []string, err error) {
	pub := Publication(1, nTracks)
	if err := st.PutRelease(ctx, pub); err != nil {
		return nil, nil, err
	}
	for i := range nUsers {
		_, tok, err := st.CreateUser(ctx, fmt.Sprintf("%s%d", prefix, i), music.RoleListener, []string{"GB", "DE", "US"}[i%3])
		if err != nil {
			return nil, nil, err
		}
		tokens = append(tokens, tok)
	}
	for _, tr := range pub.Tracks {
		tracks = append(tracks, tr.ID)
	}
	return tokens, tracks, nil
}
