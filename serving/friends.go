package serving

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
)

// Friend activity routes, registered by HandleSocial when Social.Friends
// is set (listeners):
//
//	GET /api/v1/me/friends/activity?limit=         what each followed user plays now or played last, newest first
//	GET /api/v1/me/friends/activity/events         the same live (SSE): snapshot, play and hide events
//
// A viewer reads the entries of whom they follow (at most
// MaxActivityIDs): the cost of a play does not grow with its player's
// followers. Who may be seen is read from the catalog DB on every read
// and snapshot (sharing on, no private session, not blocking the viewer).

// friendsResync is how often a live stream re-reads whom it may see and
// sends a fresh snapshot: a block or a hide made through another serving
// process reaches it within this time (at once in this process).
const friendsResync = 30 * time.Second

// nowPlayingSlack counts a track as still playing for this long past its
// duration (pauses, a report sent late).
const nowPlayingSlack = 30 * time.Second

// friendJSON is one friend's latest play.
type friendJSON struct {
	User     userRefJSON   `json:"user"`
	Track    *trackRefJSON `json:"track"` // null when the viewer may not see the track
	TrackID  string        `json:"track_id"`
	PlayedAt time.Time     `json:"played_at"`
	Playing  bool          `json:"playing"` // still within the track's length
}

// userRefJSON names a user.
type userRefJSON struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// trackRefJSON is what a friend entry shows of a track.
type trackRefJSON struct {
	ID         string  `json:"id"`
	Title      string  `json:"title"`
	Artist     refJSON `json:"artist"`
	Album      refJSON `json:"album"`
	DurationMS int64   `json:"duration_ms"`
}

// friendsJSON is the friend activity list.
type friendsJSON struct {
	Friends []friendJSON `json:"friends"`
}

// visibleFriends is whom viewer follows and may see listening now.
func (a *socialAPI) visibleFriends(ctx context.Context, viewer string) ([]string, error) {
	page, err := a.Follows.Following(ctx, viewer, music.FollowUser, "", music.MaxActivityIDs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(page.Items))
	for _, f := range page.Items {
		ids = append(ids, f.ID)
	}
	return a.Privacy.ActivityVisible(ctx, viewer, ids)
}

// friendActivity reads the latest plays of whom the viewer may see,
// newest first, at most limit of them, with tracks as v shows them.
func (a *socialAPI) friendActivity(ctx context.Context, viewer string, v music.Visibility, limit int) (friendsJSON, []string, error) {
	ids, err := a.visibleFriends(ctx, viewer)
	if err != nil {
		return friendsJSON{}, nil, err
	}
	acts, err := a.Friends.Store.Latest(ctx, ids)
	if err != nil {
		return friendsJSON{}, nil, err
	}
	slices.SortFunc(acts, func(x, y music.Activity) int { return y.PlayedAt.Compare(x.PlayedAt) })
	acts = acts[:min(len(acts), limit)]
	shown := make([]string, len(acts))
	for i, act := range acts {
		shown[i] = act.UserID
	}
	users, err := a.Profiles.UsersByID(ctx, shown) // one query for all the names
	if err != nil {
		return friendsJSON{}, nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	out := friendsJSON{Friends: make([]friendJSON, 0, len(acts))}
	for _, act := range acts {
		f, err := a.friendEntry(ctx, v, act, names[act.UserID])
		if err != nil {
			return friendsJSON{}, nil, err
		}
		out.Friends = append(out.Friends, f)
	}
	return out, ids, nil
}

// newFriendJSON shows one play with its user's name and the track as v
// (the viewer's territory) shows it.
func (a *socialAPI) newFriendJSON(ctx context.Context, v music.Visibility, act music.Activity) (friendJSON, error) {
	u, err := a.Profiles.UserByID(ctx, act.UserID)
	if err != nil {
		return friendJSON{}, err
	}
	return a.friendEntry(ctx, v, act, u.Name)
}

// friendEntry is newFriendJSON with the user's name known. The track
// comes through the server's short-lived track cache, as for GET
// /tracks/{id}: friends often play the same tracks.
func (a *socialAPI) friendEntry(ctx context.Context, v music.Visibility, act music.Activity, name string) (friendJSON, error) {
	f := friendJSON{User: userRefJSON{ID: act.UserID, DisplayName: name}, TrackID: act.TrackID, PlayedAt: act.PlayedAt}
	t, err := a.s.tracks.get(v.Territory+"\x00"+act.TrackID, v.At, func() (*music.Track, error) {
		return a.Catalog.Track(ctx, act.TrackID, v)
	})
	switch music.ErrorCode(err) {
	case "":
		f.Track = &trackRefJSON{ID: t.ID, Title: t.Title, Artist: mainArtist(t.Artists),
			Album: refJSON{ID: t.ReleaseID, Name: t.ReleaseTitle}, DurationMS: t.Duration.Milliseconds()}
		f.Playing = a.s.Now().Before(act.PlayedAt.Add(t.Duration + nowPlayingSlack))
	case music.ENOTFOUND:
		// Not licensed where the viewer is: the entry shows no track.
	default:
		return friendJSON{}, err
	}
	return f, nil
}

func (a *socialAPI) activity(w http.ResponseWriter, r *http.Request, me *music.User) error {
	limit := defaultLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			return music.Errorf(music.EINVALID, "limit %q: want an integer from 1 to %d", v, maxLimit)
		}
	}
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	out, _, err := a.friendActivity(r.Context(), me.ID, v, limit)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// activityEvents streams friend activity as Server-Sent Events: a
// "snapshot" (the list) first and at every resync, then a "play" event
// per play of a friend the viewer may see and a "hide" event when one
// hides their listening.
func (a *socialAPI) activityEvents(w http.ResponseWriter, r *http.Request, me *music.User) error {
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	snap, ids, err := a.friendActivity(r.Context(), me.ID, v, maxLimit)
	if err != nil {
		return err
	}
	stream, err := a.Friends.Hub.Subscribe(me.ID, ids)
	if err != nil {
		return err
	}
	defer stream.Close()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	a.followFriends(r.Context(), me.ID, v, stream, snap, func(event string, data any) error {
		writeEvent(w, event, data)
		return rc.Flush()
	})
	return nil // the client left or a write failed: nothing more to answer
}

// friendsOnDevice is connect.Service.Extras: a listener's Connect devices
// get friend activity as messages of type friends (the snapshot),
// friend_play and friend_hide (docs/connect.md).
func (a *socialAPI) friendsOnDevice(ctx context.Context, u *music.User, send func(msg any)) {
	if u.Role != music.RoleListener {
		return
	}
	v := music.Visibility{Territory: u.Country, At: a.s.Now()}
	snap, ids, err := a.friendActivity(ctx, u.ID, v, maxLimit)
	if err != nil {
		return
	}
	stream, err := a.Friends.Hub.Subscribe(u.ID, ids)
	if err != nil {
		return // over the viewer's stream cap: this device goes without
	}
	defer stream.Close()
	a.followFriends(ctx, u.ID, v, stream, snap, func(event string, data any) error {
		switch event {
		case "snapshot":
			send(map[string]any{"type": "friends", "friends": data})
		default:
			send(map[string]any{"type": "friend_" + event, "friend": data})
		}
		return nil
	})
}

// followFriends emits the snapshot, then live events, and a fresh
// snapshot every friendsResync or when the hub asks for one, until ctx
// ends or emit fails.
func (a *socialAPI) followFriends(ctx context.Context, viewer string, v music.Visibility, stream *friends.Stream, snap friendsJSON,
	emit func(event string, data any) error) {
	tick := time.NewTicker(friendsResync)
	defer tick.Stop()
	for {
		if emit("snapshot", snap) != nil || a.pushFriendEvents(ctx, v, stream, tick.C, emit) != nil {
			return
		}
		var ids []string
		var err error
		if snap, ids, err = a.friendActivity(ctx, viewer, v, maxLimit); err != nil {
			_ = emit("error", map[string]string{"code": music.ErrorCode(err)})
			return
		}
		stream.Watch(ids)
	}
}

// pushFriendEvents emits live events until a resync is due.
func (a *socialAPI) pushFriendEvents(ctx context.Context, v music.Visibility, stream *friends.Stream, tick <-chan time.Time,
	emit func(event string, data any) error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
			return nil
		case <-stream.Resync:
			return nil
		case e := <-stream.Events:
			var err error
			if e.Kind == friends.EventHide {
				err = emit(friends.EventHide, map[string]string{"user_id": e.Activity.UserID})
			} else {
				var f friendJSON
				if f, err = a.newFriendJSON(ctx, v, e.Activity); err == nil {
					err = emit(friends.EventPlay, f)
				}
			}
			if err != nil {
				return err
			}
		}
	}
}

// writeEvent writes one Server-Sent Event.
func writeEvent(w http.ResponseWriter, event string, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
}
