package friends

import (
	"context"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

func play(user string) Event {
	return Event{Kind: EventPlay, Activity: music.Activity{UserID: user, TrackID: "t", PlayedAt: time.Now()}}
}

// TestHubDeliversToWatchersOnly: a play reaches the streams that watch
// its user, and a slow stream is told to resynchronise, never waited on.
func TestHubDeliversToWatchersOnly(t *testing.T) {
	h := NewHub()
	a, err := h.Subscribe("a", []string{"b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := h.Subscribe("d", []string{"c"})
	if n := h.Publish(play("b")); n != 1 || len(a.Events) != 1 || len(d.Events) != 0 {
		t.Errorf("b's play reached %d streams (a %d, d %d), want a only", n, len(a.Events), len(d.Events))
	}
	d.Watch([]string{"b"})
	if n := h.Publish(play("c")); n != 1 {
		t.Errorf("c's play reached %d streams after d stopped watching c, want 1", n)
	}
	for range streamBuffer {
		h.Publish(play("b"))
	}
	select {
	case <-a.Resync:
	default:
		t.Error("a full stream was not told to resynchronise")
	}
	h.Resync([]string{"d"})
	select {
	case <-d.Resync:
	default:
		t.Error("Resync(d) did not reach d's stream")
	}
	a.Close()
	d.Close()
	if n := h.Publish(play("b")); n != 0 || h.Streams() != 0 {
		t.Errorf("after Close: %d delivered, %d streams", n, h.Streams())
	}
}

// TestHubCapsStreamsPerViewer: one viewer cannot hold unbounded streams.
func TestHubCapsStreamsPerViewer(t *testing.T) {
	h := NewHub()
	for range MaxStreamsPerViewer {
		if _, err := h.Subscribe("a", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Subscribe("a", nil); music.ErrorCode(err) != music.ERATELIMIT {
		t.Errorf("stream %d: %v, want rate limited", MaxStreamsPerViewer+1, err)
	}
	if _, err := h.Subscribe("b", nil); err != nil {
		t.Errorf("another viewer: %v", err)
	}
}

// settingsOf answers fixed settings per user.
type settingsOf map[string]music.Settings

func (s settingsOf) Settings(_ context.Context, id string) (music.Settings, error) {
	if st, ok := s[id]; ok {
		return st, nil
	}
	return music.DefaultSettings, nil
}

// TestFeedDropsHiddenPlays: plays of users who hide their listening and
// anonymous plays are neither kept nor pushed; Hide forgets and tells.
func TestFeedDropsHiddenPlays(t *testing.T) {
	f := &Feed{Store: NewMemory(), Hub: NewHub(), Settings: settingsOf{
		"private": {PrivateSession: true, ShareActivity: true}, "quiet": {}}}
	s, _ := f.Hub.Subscribe("viewer", []string{"open", "private", "quiet", ""})
	ctx := context.Background()
	now := time.Now().UnixMilli()
	for _, u := range []string{"open", "private", "quiet", ""} {
		if err := f.Apply(ctx, plays.Event{UserID: u, TrackID: "t", PlayedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.Store.Latest(ctx, []string{"open", "private", "quiet", ""})
	if len(got) != 1 || got[0].UserID != "open" || len(s.Events) != 1 {
		t.Fatalf("kept %+v, pushed %d; want only open's play", got, len(s.Events))
	}
	<-s.Events
	if err := f.Hide(ctx, "open"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Store.Latest(ctx, []string{"open"}); len(got) != 0 {
		t.Errorf("after Hide: %+v", got)
	}
	if e := <-s.Events; e.Kind != EventHide || e.Activity.UserID != "open" {
		t.Errorf("after Hide the stream got %+v", e)
	}
}
