package serving

import (
	"context"
	"net/http"
	"strings"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// handleShowTakedown routes ops' takedown of a show:
//
//	DELETE /api/v1/podcasts/{id}           take the show down (ops); 204, again 204
//	POST   /api/v1/podcasts/{id}/restore   undo it (ops); 204
//
// Shows record no owner (POST /api/v1/podcasts keeps no "added by"), so
// a label may not take one down: ops only. A show taken down is hidden,
// never deleted: its feed is no longer polled, it and its episodes answer
// 404, leave search and follows, their signed stream URLs stop working
// and offline renewal tells devices to delete them. Its rows and blobs
// stay, so the takedown can be restored; the search index drops the show
// and its episodes, and a restore puts them back.
func (s *Server) handleShowTakedown(p Podcasts) {
	s.Handle("DELETE /api/v1/podcasts/{id}", s.authed(p.Users, ops, func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		// The store first: the show is hidden even if the index or
		// Temporal is down, and a second DELETE retries them.
		err := p.Store.TakeDownShow(r.Context(), id, music.ShowRemovedByOps)
		if err == nil {
			err = p.reindexShow(r.Context(), id)
		}
		if err == nil {
			err = p.Poller.Stop(r.Context(), id)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	s.Handle("POST /api/v1/podcasts/{id}/restore", s.authed(p.Users, ops, func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		err := p.Store.RestoreShow(r.Context(), id)
		if err == nil {
			err = p.reindexShow(r.Context(), id)
		}
		if err == nil {
			err = p.Poller.Resume(r.Context(), id)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
}

// reindexShow brings this process's search index in line with the show
// (search.IndexShow); without an index there is nothing to do.
func (p Podcasts) reindexShow(ctx context.Context, id string) error {
	if p.Search == nil {
		return nil
	}
	return search.IndexShow(ctx, p.Store, p.Search, id)
}

// episodeAudioGone refuses the signed audio of an episode a listener may
// no longer play (its show taken down, its feed dropped it): the URL was
// signed before. The answer is cached for cacheTTL, so a takedown stops
// audio within that, as it hides tracks from the catalog routes. Track
// audio is not checked, the signature is its grant.
func (s *Server) episodeAudioGone(ctx context.Context, id string) error {
	if s.podcasts == nil || !strings.HasPrefix(id, music.EpisodeIDPrefix) {
		return nil
	}
	_, err := s.episodes.get(id, s.Now(), func() (*music.Episode, error) { return publishedEpisode(ctx, s.podcasts, id) })
	return err
}
