package serving

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
)

// Social is what the profile and follow routes read and write.
type Social struct {
	Users     music.UserStore
	Profiles  music.ProfileStore
	Follows   music.FollowStore
	Playlists music.PlaylistStore
	Catalog   music.Catalog
	Shares    music.ShareStore
	Privacy   music.PrivacyStore
	// Friends is friend activity; nil leaves its routes out.
	Friends *friends.Feed
	// Editorial and Owners serve editorial playlists and playlist
	// search; nil Editorial leaves them out.
	Editorial music.EditorialStore
	Owners    music.Ownership
}

// HandleSocial routes profiles and follows (issue #17), in the shapes of
// the Spotify Web API:
//
//	GET    /api/v1/me                                any role: id, display name, country, plan, role
//	GET    /api/v1/users/{id}                        any role: a listener's public profile
//	PUT    /api/v1/me/following?type=artist|user     {"ids": [...]} follow (listeners)
//	DELETE /api/v1/me/following?type=artist|user     {"ids": [...]} unfollow
//	GET    /api/v1/me/following?type=&after=&limit= what I follow, cursor paged
//	GET    /api/v1/me/following/contains?type=&ids=  [true, false, …]
//	GET    /api/v1/artists/{id}/followers            {"total": n}
//	GET    /api/v1/playlists/{id}/followers          {"total": n} (who may read it)
//	PUT    /api/v1/playlists/{id}/followers          follow (who may read it)
//	DELETE /api/v1/playlists/{id}/followers          unfollow
//
// and the share links of shares.go, the settings and blocks of
// privacy.go, the friend activity of friends.go and the editorial
// playlists of editorial.go. One who blocked the caller is an unknown user to them.
// Following an artist needs it visible in the caller's territory (422
// otherwise, as saving it to the library); a user must be another
// listener account (422). A private playlist is 403 to whoever may not
// read it, as everywhere else.
func (s *Server) HandleSocial(soc Social) {
	a := &socialAPI{s: s, Social: soc}
	s.followerCount = soc.Follows.FollowerCount
	route := func(pattern string, roles []string, h func(w http.ResponseWriter, r *http.Request, me *music.User) error) {
		s.Handle(pattern, s.authed(soc.Users, roles, func(w http.ResponseWriter, r *http.Request) {
			if err := h(w, r, UserFrom(r.Context())); err != nil {
				writeError(w, err)
			}
		}))
	}
	route("GET /api/v1/me", nil, a.me)
	route("GET /api/v1/users/{id}", nil, a.profile)
	route("PUT /api/v1/me/following", listeners, a.follow)
	route("DELETE /api/v1/me/following", listeners, a.unfollow)
	route("GET /api/v1/me/following", listeners, a.following)
	route("GET /api/v1/me/following/contains", listeners, a.contains)
	route("GET /api/v1/artists/{id}/followers", nil, a.artistFollowers)
	route("GET /api/v1/playlists/{id}/followers", listeners, a.playlistFollowers)
	route("PUT /api/v1/playlists/{id}/followers", listeners, a.followPlaylist)
	route("DELETE /api/v1/playlists/{id}/followers", listeners, a.unfollowPlaylist)
	route("POST /api/v1/shares", listeners, a.createShare)
	route("POST /api/v1/playlists/{id}/share", listeners, a.sharePlaylist)
	route("GET /api/v1/me/shares", listeners, a.myShares)
	route("DELETE /api/v1/shares/{id}", listeners, a.revokeShare)
	route("GET /api/v1/shared/{token}", nil, a.openShare)
	route("GET /api/v1/me/settings", listeners, a.settings)
	route("PUT /api/v1/me/settings", listeners, a.updateSettings)
	route("GET /api/v1/me/blocks", listeners, a.blocks)
	route("PUT /api/v1/me/blocks", listeners, a.block)
	route("DELETE /api/v1/me/blocks", listeners, a.unblock)
	if soc.Friends != nil {
		route("GET /api/v1/me/friends/activity", listeners, a.activity)
		s.streams["GET /api/v1/me/friends/activity/events"] = routeStream
		route("GET /api/v1/me/friends/activity/events", listeners, a.activityEvents)
		s.deviceExtras = a.friendsOnDevice
	}
	if soc.Editorial != nil {
		route("POST /api/v1/editorial/playlists", curators, a.createEditorial)
		route("PATCH /api/v1/editorial/playlists/{id}", curators, a.updateEditorial)
		route("DELETE /api/v1/editorial/playlists/{id}", curators, a.deleteEditorial)
		route("POST /api/v1/editorial/playlists/{id}/tracks", curators, a.addEditorialTracks)
		route("DELETE /api/v1/editorial/playlists/{id}/tracks", curators, a.removeEditorialTracks)
		route("GET /api/v1/browse/featured-playlists", nil, a.featured)
		s.playlistSearch = soc.Editorial.SearchPlaylists
	}
}

// socialAPI holds what the social handlers share; each method serves one
// route of HandleSocial for the authenticated user me.
type socialAPI struct {
	s *Server
	Social
}

// meJSON is the caller's own account.
type meJSON struct {
	ID          string       `json:"id"`
	DisplayName string       `json:"display_name"`
	Country     string       `json:"country"`
	Plan        string       `json:"plan"`
	Role        string       `json:"role"`
	Settings    settingsJSON `json:"settings"`
}

func (a *socialAPI) me(w http.ResponseWriter, r *http.Request, me *music.User) error {
	st, err := a.Privacy.Settings(r.Context(), me.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meJSON{ID: me.ID, DisplayName: me.Name, Country: me.Country, Plan: me.Plan, Role: me.Role,
		Settings: newSettingsJSON(st)})
	return nil
}

// profileJSON is a listener as everyone may see them.
type profileJSON struct {
	ID              string         `json:"id"`
	DisplayName     string         `json:"display_name"`
	FollowerCount   int            `json:"follower_count"`
	PublicPlaylists []playlistJSON `json:"public_playlists"`
}

// maxProfilePlaylists bounds the playlists a profile lists.
const maxProfilePlaylists = 50

func (a *socialAPI) profile(w http.ResponseWriter, r *http.Request, viewer *music.User) error {
	u, err := a.Profiles.UserByID(r.Context(), r.PathValue("id"))
	if err == nil && u.Role != music.RoleListener {
		// Label and ops accounts have no public profile.
		err = music.Errorf(music.ENOTFOUND, "no user %q", r.PathValue("id"))
	}
	if err == nil {
		err = a.hiddenFrom(r, u.ID, viewer.ID)
	}
	if err != nil {
		return err
	}
	n, err := a.Follows.FollowerCount(r.Context(), music.FollowUser, u.ID)
	if err != nil {
		return err
	}
	ps, _, err := a.Profiles.PublicPlaylistsOf(r.Context(), u.ID, 0, maxProfilePlaylists)
	if err != nil {
		return err
	}
	out := profileJSON{ID: u.ID, DisplayName: u.Name, FollowerCount: n, PublicPlaylists: make([]playlistJSON, 0, len(ps))}
	for i := range ps {
		out.PublicPlaylists = append(out.PublicPlaylists, newPlaylistJSON(&ps[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// followType reads ?type=, which the /me/following routes need: artist
// or user (playlists are followed at /playlists/{id}/followers).
func followType(q url.Values) (string, error) {
	switch t := q.Get("type"); t {
	case music.FollowArtist, music.FollowUser:
		return t, nil
	case "":
		return "", music.Errorf(music.EINVALID, "query parameter type is required: artist or user")
	default:
		return "", music.Errorf(music.EINVALID, "type %q: want artist or user", t)
	}
}

func (a *socialAPI) follow(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.setFollows(w, r, me, true)
}

func (a *socialAPI) unfollow(w http.ResponseWriter, r *http.Request, me *music.User) error {
	return a.setFollows(w, r, me, false)
}

// setFollows follows or unfollows the body's ids of ?type=.
func (a *socialAPI) setFollows(w http.ResponseWriter, r *http.Request, me *music.User, on bool) error {
	kind, err := followType(r.URL.Query())
	if err != nil {
		return err
	}
	var in struct {
		IDs []string `json:"ids"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if !on {
		err = a.Follows.Unfollow(r.Context(), me.ID, kind, in.IDs)
	} else if err = a.checkArtists(r, kind, in.IDs); err == nil {
		err = a.Follows.Follow(r.Context(), me.ID, kind, in.IDs)
	}
	if music.ErrorCode(err) == music.ENOTFOUND {
		// An unknown id in a body is unprocessable, as in the library.
		err = music.Errorf(music.EUNPROCESSABLE, "%s", music.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkArtists makes sure each followed artist is one the caller may
// see; the store checks users itself.
func (a *socialAPI) checkArtists(r *http.Request, kind string, ids []string) error {
	if kind != music.FollowArtist || len(ids) == 0 || len(ids) > music.MaxFollowIDs {
		return nil // the store refuses a bad count naming it
	}
	return a.s.checkVisible(r, a.Catalog, music.LibraryArtist, ids)
}

// Following page bounds, as in the Spotify Web API.
const (
	defaultFollowLimit = 20
	maxFollowLimit     = 50
)

// followingQuery reads ?type=, ?after= and ?limit= of GET /me/following.
func followingQuery(q url.Values) (kind, after string, limit int, err error) {
	if kind, err = followType(q); err != nil {
		return "", "", 0, err
	}
	limit = defaultFollowLimit
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxFollowLimit {
			return "", "", 0, music.Errorf(music.EINVALID, "limit %q: want an integer from 1 to %d", v, maxFollowLimit)
		}
	}
	after = q.Get("after")
	if len(after) > 200 {
		return "", "", 0, music.Errorf(music.EINVALID, "after: want at most 200 bytes, got %d", len(after))
	}
	return kind, after, limit, nil
}

// followJSON is one followed thing.
type followJSON struct {
	ID         string    `json:"id"`
	FollowedAt time.Time `json:"followed_at"`
}

// followPageJSON is a cursor page, as the Spotify Web API shapes it.
type followPageJSON struct {
	Items   []followJSON      `json:"items"`
	Next    *string           `json:"next"`
	Cursors map[string]string `json:"cursors"`
	Limit   int               `json:"limit"`
	Total   int               `json:"total"`
}

func (a *socialAPI) following(w http.ResponseWriter, r *http.Request, me *music.User) error {
	kind, after, limit, err := followingQuery(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := a.Follows.Following(r.Context(), me.ID, kind, after, limit)
	if err != nil {
		return err
	}
	out := followPageJSON{Items: make([]followJSON, 0, len(page.Items)), Cursors: map[string]string{"after": page.After},
		Limit: limit, Total: page.Total}
	for _, f := range page.Items {
		out.Items = append(out.Items, followJSON{ID: f.ID, FollowedAt: f.FollowedAt})
	}
	if page.After != "" {
		next := "/api/v1/me/following?" + url.Values{"type": {kind}, "after": {page.After}, "limit": {strconv.Itoa(limit)}}.Encode()
		out.Next = &next
	}
	// {"artists": {…}} or {"users": {…}}
	writeJSON(w, http.StatusOK, map[string]followPageJSON{kind + "s": out})
	return nil
}

// idList reads a comma-separated list of 1 to MaxFollowIDs ids from the
// query parameter field.
func idList(q url.Values, field string) ([]string, error) {
	v := q.Get(field)
	if v == "" {
		return nil, music.Errorf(music.EINVALID, "query parameter %s is required: comma-separated ids", field)
	}
	ids := strings.Split(v, ",")
	if len(ids) > music.MaxFollowIDs {
		return nil, music.Errorf(music.EINVALID, "%s: want at most %d ids, got %d", field, music.MaxFollowIDs, len(ids))
	}
	for i, id := range ids {
		if id == "" || len(id) > 200 {
			return nil, music.Errorf(music.EINVALID, "%s[%d]: want 1 to 200 bytes", field, i)
		}
	}
	return ids, nil
}

func (a *socialAPI) contains(w http.ResponseWriter, r *http.Request, me *music.User) error {
	kind, err := followType(r.URL.Query())
	if err != nil {
		return err
	}
	ids, err := idList(r.URL.Query(), "ids")
	if err != nil {
		return err
	}
	got, err := a.Follows.FollowsContain(r.Context(), me.ID, kind, ids)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, got)
	return nil
}

// followersJSON is a follower count.
type followersJSON struct {
	Total int `json:"total"`
}

func (a *socialAPI) artistFollowers(w http.ResponseWriter, r *http.Request, _ *music.User) error {
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, _, err := a.Catalog.Artist(r.Context(), id, v); err != nil {
		return err
	}
	return a.writeFollowers(w, r, music.FollowArtist, id)
}

func (a *socialAPI) playlistFollowers(w http.ResponseWriter, r *http.Request, me *music.User) error {
	if _, err := a.Playlists.Playlist(r.Context(), r.PathValue("id"), me.ID); err != nil {
		return err
	}
	return a.writeFollowers(w, r, music.FollowPlaylist, r.PathValue("id"))
}

func (a *socialAPI) writeFollowers(w http.ResponseWriter, r *http.Request, kind, id string) error {
	n, err := a.Follows.FollowerCount(r.Context(), kind, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, followersJSON{Total: n})
	return nil
}

func (a *socialAPI) followPlaylist(w http.ResponseWriter, r *http.Request, me *music.User) error {
	id := r.PathValue("id")
	if _, err := a.Playlists.Playlist(r.Context(), id, me.ID); err != nil {
		return err
	}
	if err := a.Follows.Follow(r.Context(), me.ID, music.FollowPlaylist, []string{id}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// unfollowPlaylist needs no read access: one may leave a playlist that
// has turned private since.
func (a *socialAPI) unfollowPlaylist(w http.ResponseWriter, r *http.Request, me *music.User) error {
	if err := a.Follows.Unfollow(r.Context(), me.ID, music.FollowPlaylist, []string{r.PathValue("id")}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// hiddenFrom is ENOTFOUND when userID blocked viewerID: to the blocked,
// the blocker is an unknown user.
func (a *socialAPI) hiddenFrom(r *http.Request, userID, viewerID string) error {
	blocked, err := a.Privacy.HasBlocked(r.Context(), userID, viewerID)
	if err == nil && blocked {
		err = music.Errorf(music.ENOTFOUND, "no user %q", userID)
	}
	return err
}
