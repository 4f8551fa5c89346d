package friends

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// SettingsReader reads a user's privacy settings (sqlstore).
type SettingsReader interface {
	Settings(ctx context.Context, userID string) (music.Settings, error)
}

// Feed turns plays into friend activity: it keeps the latest play of
// each user who shares their listening and pushes it to live streams.
type Feed struct {
	Store    music.ActivityStore
	Settings SettingsReader
	Hub      *Hub
}

// Apply records one play from the log. Anonymous plays and those of a
// user who hides their listening are dropped; the settings are read per
// play, so a private session turned on is honoured from the next play.
func (f *Feed) Apply(ctx context.Context, e plays.Event) error {
	if e.UserID == "" || e.TrackID == "" {
		return nil
	}
	st, err := f.Settings.Settings(ctx, e.UserID)
	if err != nil {
		return fmt.Errorf("friend activity of %s: %w", e.UserID, err)
	}
	if st.HidesActivity() {
		return nil
	}
	a := music.Activity{UserID: e.UserID, TrackID: e.TrackID, PlayedAt: time.UnixMilli(e.PlayedAt)}
	if err := f.Store.Record(ctx, a); err != nil {
		return fmt.Errorf("friend activity of %s: %w", e.UserID, err)
	}
	f.Hub.Publish(Event{Kind: EventPlay, Activity: a})
	return nil
}

// Hide takes a user's activity out of every view at once: the store
// forgets it and live streams drop the entry.
func (f *Feed) Hide(ctx context.Context, userID string) error {
	if err := f.Store.Forget(ctx, userID); err != nil {
		return fmt.Errorf("hide activity of %s: %w", userID, err)
	}
	f.Hub.Publish(Event{Kind: EventHide, Activity: music.Activity{UserID: userID}})
	return nil
}
