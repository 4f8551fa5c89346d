package serving

import (
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// followedShowJSON is a followed show in GET /api/v1/me/podcasts.
type followedShowJSON struct {
	ShowJSON
	FollowedAt time.Time `json:"followed_at"`
	Unplayed   int       `json:"unplayed"`
}

// positionJSON is the body of PUT /api/v1/me/episodes/{id}/position.
type positionJSON struct {
	PositionMS *int64 `json:"position_ms"`
}

// handlePodcastListening routes a listener's side of podcasts:
//
//	PUT    /api/v1/me/podcasts/{id}               follow a show; 204
//	DELETE /api/v1/me/podcasts/{id}               unfollow; 204
//	GET    /api/v1/me/podcasts?offset&limit       followed shows with unplayed counts
//	PUT    /api/v1/me/episodes/{id}/position {"position_ms"}   resume point; 204
//
// GET /api/v1/episodes/{id} shows the caller's resume point.
func (s *Server) handlePodcastListening(p Podcasts) {
	s.Handle("PUT /api/v1/me/podcasts/{id}", s.authed(p.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
		if err := p.Listening.FollowShow(r.Context(), UserFrom(r.Context()).ID, r.PathValue("id")); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	s.Handle("DELETE /api/v1/me/podcasts/{id}", s.authed(p.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
		if err := p.Listening.UnfollowShow(r.Context(), UserFrom(r.Context()).ID, r.PathValue("id")); err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	s.Handle("GET /api/v1/me/podcasts", s.authed(p.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		shows, total, err := p.Listening.FollowedShows(r.Context(), UserFrom(r.Context()).ID, offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		page := pageJSON[followedShowJSON]{Items: make([]followedShowJSON, 0, len(shows)), Total: total, Offset: offset, Limit: limit}
		for i := range shows {
			page.Items = append(page.Items, followedShowJSON{ShowJSON: newShowJSON(&shows[i].Show, music.FeedState{}),
				FollowedAt: shows[i].FollowedAt, Unplayed: shows[i].Unplayed})
		}
		writeJSON(w, http.StatusOK, page)
	}))
	s.Handle("PUT /api/v1/me/episodes/{id}/position", s.authed(p.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
		var body positionJSON
		if err := decodeJSON(w, r, &body); err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		e, err := publishedEpisode(ctx, p.Store, r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		pos, err := checkPosition(body.PositionMS, e.Audio.Duration)
		if err != nil {
			writeError(w, err)
			return
		}
		err = p.Listening.SetEpisodePosition(ctx, UserFrom(ctx).ID, e.ID, music.EpisodeProgress{
			Position: pos, Completed: completes(pos, e.Audio.Duration), UpdatedAt: s.Now()})
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
}

// checkPosition accepts 0 to the episode's measured duration.
func checkPosition(ms *int64, d time.Duration) (time.Duration, error) {
	if ms == nil {
		return 0, music.Errorf(music.EINVALID, "field position_ms: required")
	}
	if *ms < 0 || *ms > d.Milliseconds() {
		return 0, music.Errorf(music.EINVALID, "field position_ms: %d is outside the episode (0 to %d)", *ms, d.Milliseconds())
	}
	return time.Duration(*ms) * time.Millisecond, nil
}
