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
// newest first, at most limit of them.
func (a *socialAPI) friendActivity(r *http.Request, viewer string, limit int) (friendsJSON, []string, error) {
	ids, err := a.visibleFriends(r.Context(), viewer)
	if err != nil {
		return friendsJSON{}, nil, err
	}
	acts, err := a.Friends.Store.Latest(r.Context(), ids)
	if err != nil {
		return friendsJSON{}, nil, err
	}
	slices.SortFunc(acts, func(x, y music.Activity) int { return y.PlayedAt.Compare(x.PlayedAt) })
	out := friendsJSON{Friends: make([]friendJSON, 0, min(len(acts), limit))}
	for _, act := range acts[:min(len(acts), limit)] {
		f, err := a.newFriendJSON(r, act)
		if err != nil {
			return friendsJSON{}, nil, err
		}
		out.Friends = append(out.Friends, f)
	}
	return out, ids, nil
}

// newFriendJSON shows one play with its user's name and the track as the
// viewer may see it.
func (a *socialAPI) newFriendJSON(r *http.Request, act music.Activity) (friendJSON, error) {
	u, err := a.Profiles.UserByID(r.Context(), act.UserID)
	if err != nil {
		return friendJSON{}, err
	}
	f := friendJSON{User: userRefJSON{ID: u.ID, DisplayName: u.Name}, TrackID: act.TrackID, PlayedAt: act.PlayedAt}
	v, err := a.s.visibility(r)
	if err != nil {
		return friendJSON{}, err
	}
	t, err := a.Catalog.Track(r.Context(), act.TrackID, v)
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
	out, _, err := a.friendActivity(r, me.ID, limit)
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
	snap, ids, err := a.friendActivity(r, me.ID, maxLimit)
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
	tick := time.NewTicker(friendsResync)
	defer tick.Stop()
	for {
		writeEvent(w, "snapshot", snap)
		if err := rc.Flush(); err != nil {
			return nil
		}
		if err := a.pushFriendEvents(w, r, rc, stream, tick.C); err != nil {
			return nil // the client left or the write failed: nothing to answer
		}
		if snap, ids, err = a.friendActivity(r, me.ID, maxLimit); err != nil {
			writeEvent(w, "error", map[string]string{"code": music.ErrorCode(err)})
			return nil
		}
		stream.Watch(ids)
	}
}

// pushFriendEvents writes live events until a resync is due.
func (a *socialAPI) pushFriendEvents(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, stream *friends.Stream, tick <-chan time.Time) error {
	for {
		select {
		case <-r.Context().Done():
			return r.Context().Err()
		case <-tick:
			return nil
		case <-stream.Resync:
			return nil
		case e := <-stream.Events:
			if e.Kind == friends.EventHide {
				writeEvent(w, friends.EventHide, map[string]string{"user_id": e.Activity.UserID})
			} else {
				f, err := a.newFriendJSON(r, e.Activity)
				if err != nil {
					return err
				}
				writeEvent(w, friends.EventPlay, f)
			}
			if err := rc.Flush(); err != nil {
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
