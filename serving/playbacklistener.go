package serving

import (
	"net/http"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
)

// reportListener is who sent a playback report and the key its
// reports are rate-limited by: the web player's session (its origin and
// CSRF token checked like any cookie write) keyed by user; a bearer
// token keyed by token; else anonymous, keyed by address.
func (s *Server) reportListener(r *http.Request, users music.UserStore) (lake.Listener, string, error) {
	if session, ok := s.sessionCookie(r); ok {
		u, err := s.cookieUser(r, session)
		if err != nil {
			return lake.Listener{}, "", err
		}
		return lake.Listener{UserID: u.ID, Territory: u.Country, CreatedAt: u.CreatedAt}, "user:" + u.ID, nil
	}
	listener, err := optionalListener(r, users)
	if err != nil {
		return lake.Listener{}, "", err
	}
	key := "ip:" + s.ClientIP(r)
	if token, ok := bearerToken(r); ok && listener.UserID != "" {
		key = "tok:" + music.TokenHash(token)
	}
	return listener, key, nil
}
