package serving

import (
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// Privacy routes, registered by HandleSocial (listeners):
//
//	GET    /api/v1/me/settings   {"private_session": false, "share_activity": true}
//	PUT    /api/v1/me/settings   the fields to change
//	GET    /api/v1/me/blocks     whom I blocked, newest first
//	PUT    /api/v1/me/blocks     {"ids": [...]} block: they stop following me
//	DELETE /api/v1/me/blocks     {"ids": [...]} unblock
//
// Turning on a private session or turning sharing off hides the caller's
// activity at once, including what friends were already shown.

// settingsJSON is a listener's privacy settings.
type settingsJSON struct {
	PrivateSession bool `json:"private_session"`
	ShareActivity  bool `json:"share_activity"`
}

func newSettingsJSON(s music.Settings) settingsJSON {
	return settingsJSON{PrivateSession: s.PrivateSession, ShareActivity: s.ShareActivity}
}

func (a *socialAPI) settings(w http.ResponseWriter, r *http.Request, me *music.User) error {
	st, err := a.Privacy.Settings(r.Context(), me.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSettingsJSON(st))
	return nil
}

func (a *socialAPI) updateSettings(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in struct {
		PrivateSession *bool `json:"private_session"`
		ShareActivity  *bool `json:"share_activity"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	st, err := a.Privacy.UpdateSettings(r.Context(), me.ID, music.SettingsUpdate{PrivateSession: in.PrivateSession, ShareActivity: in.ShareActivity})
	if err != nil {
		return err
	}
	if st.HidesActivity() {
		a.hideActivity(r, me.ID)
	}
	writeJSON(w, http.StatusOK, newSettingsJSON(st))
	return nil
}

// blockJSON is one blocked user.
type blockJSON struct {
	ID        string    `json:"id"`
	BlockedAt time.Time `json:"blocked_at"`
}

func (a *socialAPI) blocks(w http.ResponseWriter, r *http.Request, me *music.User) error {
	offset, limit, err := paging(r)
	if err != nil {
		return err
	}
	bs, total, err := a.Privacy.Blocks(r.Context(), me.ID, offset, limit)
	if err != nil {
		return err
	}
	out := pageJSON[blockJSON]{Items: make([]blockJSON, 0, len(bs)), Total: total, Offset: offset, Limit: limit}
	for _, b := range bs {
		out.Items = append(out.Items, blockJSON{ID: b.UserID, BlockedAt: b.BlockedAt})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *socialAPI) block(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.setBlocks(w, r, me, true)
}

func (a *socialAPI) unblock(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.setBlocks(w, r, me, false)
}

func (a *socialAPI) setBlocks(w http.ResponseWriter, r *http.Request, me *music.User, on bool) error {
	var in struct {
		IDs []string `json:"ids"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var err error
	if on {
		err = a.Privacy.Block(r.Context(), me.ID, in.IDs)
	} else {
		err = a.Privacy.Unblock(r.Context(), me.ID, in.IDs)
	}
	if music.ErrorCode(err) == music.ENOTFOUND {
		// An unknown id in a body is unprocessable, as for follows.
		err = music.Errorf(music.EUNPROCESSABLE, "%s", music.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	if on {
		a.refreshFriends(in.IDs)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// hideActivity takes userID's activity out of every friend's view now.
// The settings are saved already, and reads check them, so a failure
// here only leaves a stale entry that nobody is shown.
func (a *socialAPI) hideActivity(r *http.Request, userID string) {
	if a.Friends != nil {
		_ = a.Friends.Hide(r.Context(), userID)
	}
}

// refreshFriends makes the live activity streams of users re-read whom
// they may see.
func (a *socialAPI) refreshFriends(users []string) {
	if a.Friends != nil {
		a.Friends.Hub.Resync(users)
	}
}
