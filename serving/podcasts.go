package serving

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// FeedPoller runs shows' PodcastFeed workflows (workflows.PodcastPoller
// on Temporal).
type FeedPoller interface {
	// Schedule makes sure the show's feed is polled periodically.
	Schedule(ctx context.Context, showID string) error
	// PollNow starts a poll of the show now and returns its workflow ID.
	PollNow(ctx context.Context, showID string) (string, error)
	// Stop stops polling the show (it was taken down); Resume polls it
	// again (it was restored). Both are idempotent.
	Stop(ctx context.Context, showID string) error
	Resume(ctx context.Context, showID string) error
}

// Podcasts is what HandlePodcasts serves from.
type Podcasts struct {
	Users     music.UserStore
	Store     music.PodcastStore
	Listening music.PodcastListening
	// Plays keeps episode plays reported with kind "episode".
	Plays  music.EpisodePlays
	Poller FeedPoller
	// Blobs holds the episodes' chapters and transcripts.
	Blobs music.BlobStore
	// Search is this process's search index, which a takedown or a
	// restore brings in line with the show; nil when it has none.
	Search music.SearchIndex
}

// curators may register shows: ops, and labels (a label may host its
// artists' podcasts).
var curators = []string{music.RoleOps, music.RoleLabel}

// maxFeedURL bounds a feed URL.
const maxFeedURL = 2000

// ShowJSON is a show as the API shows it (and musicctl podcasts prints).
type ShowJSON struct {
	ID          string    `json:"id"`
	FeedURL     string    `json:"feed_url"`
	Title       string    `json:"title"`
	Author      string    `json:"author"`
	Description string    `json:"description"`
	ImageURL    string    `json:"image_url"`
	Language    string    `json:"language"`
	Explicit    bool      `json:"explicit"`
	PolledAt    time.Time `json:"polled_at,omitzero"`
	// FeedError is why the last poll failed; "" when it did not.
	FeedError string `json:"feed_error,omitempty"`
	Failures  int    `json:"failures,omitempty"`
}

func newShowJSON(sh *music.Show, st music.FeedState) ShowJSON {
	return ShowJSON{ID: sh.ID, FeedURL: sh.FeedURL, Title: sh.Title, Author: sh.Author, Description: sh.Description,
		ImageURL: sh.ImageURL, Language: sh.Language, Explicit: sh.Explicit, PolledAt: st.PolledAt,
		FeedError: st.LastError, Failures: st.Failures}
}

// EpisodeJSON is an episode as the API shows it.
type EpisodeJSON struct {
	ID            string    `json:"id"`
	ShowID        string    `json:"show_id"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	Season        int       `json:"season,omitempty"`
	Number        int       `json:"number,omitempty"`
	PublishedAt   time.Time `json:"published_at"`
	DurationMS    int64     `json:"duration_ms"`
	Explicit      bool      `json:"explicit"`
	ChaptersURL   string    `json:"chapters_url,omitempty"`
	TranscriptURL string    `json:"transcript_url,omitempty"`
	// Files are the chapters and transcript as the service keeps them,
	// or why it could not fetch them.
	Files        []EpisodeFileJSON `json:"files,omitempty"`
	LoudnessLUFS float64           `json:"loudness_lufs"`
	StreamURLs   map[string]string `json:"stream_urls"`
	DownloadURL  string            `json:"download_url"`
	// The caller's resume point, in GET /api/v1/episodes/{id}.
	ResumePositionMS *int64 `json:"resume_position_ms,omitempty"`
	Completed        *bool  `json:"completed,omitempty"`
}

// newEpisodeJSON shows a published episode with signed stream URLs. The
// download is the highest speech rung.
func (s *Server) newEpisodeJSON(e *music.Episode) EpisodeJSON {
	out := EpisodeJSON{ID: e.ID, ShowID: e.ShowID, Title: e.Title, Description: e.Description, Season: e.Season,
		Number: e.Number, PublishedAt: e.PublishedAt, DurationMS: e.Audio.Duration.Milliseconds(), Explicit: e.Explicit,
		ChaptersURL: e.Chapters.URL, TranscriptURL: e.Transcript.URL, LoudnessLUFS: e.Audio.LoudnessLUFS,
		StreamURLs: map[string]string{}}
	for _, f := range e.Audio.Files {
		fj := EpisodeFileJSON{Kind: f.Kind, Type: f.Type, Bytes: f.Bytes, SHA256: f.SHA256, Error: f.Error}
		if f.Key != "" {
			fj.URL = "/api/v1/episodes/" + url.PathEscape(e.ID) + "/" + f.Kind
		}
		out.Files = append(out.Files, fj)
	}
	for _, rd := range e.Audio.Renditions {
		out.StreamURLs[rd.Rung] = s.streamURL("/"+rd.BlobKey, "")
		out.DownloadURL = out.StreamURLs[rd.Rung] // renditions are stored lowest rung first
	}
	return out
}

// HandlePodcasts routes the podcast API:
//
//	POST /api/v1/podcasts {"feed_url"}           register a show (ops, label); 201, or 200 when known
//	POST /api/v1/podcasts/{id}/refresh           poll the feed now (ops, label); 202
//	DELETE /api/v1/podcasts/{id}                 take the show down (ops); 204
//	POST /api/v1/podcasts/{id}/restore           undo a takedown (ops); 204
//	GET  /api/v1/podcasts/{id}                   the show and its feed's state
//	GET  /api/v1/podcasts/{id}/episodes?offset&limit   published episodes, newest first
//	GET  /api/v1/episodes/{id}                   one episode with signed stream_urls and download_url
//
// An episode is published once its audio is stored; before that, and
// after its feed dropped it, it is 404.
func (s *Server) HandlePodcasts(p Podcasts) {
	s.Handle("POST /api/v1/podcasts", s.authed(p.Users, curators, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			FeedURL string `json:"feed_url"`
		}
		if err := decodeJSON(w, r, &body); err != nil {
			writeError(w, err)
			return
		}
		if err := checkFeedURL(body.FeedURL); err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		sh, created, err := p.Store.AddShow(ctx, body.FeedURL)
		if err != nil {
			writeError(w, err)
			return
		}
		if err := p.Poller.Schedule(ctx, sh.ID); err != nil {
			writeError(w, err)
			return
		}
		run := ""
		if created {
			if run, err = p.Poller.PollNow(ctx, sh.ID); err != nil {
				writeError(w, err)
				return
			}
		}
		code := http.StatusOK
		if created {
			code = http.StatusCreated
		}
		writeJSON(w, code, map[string]any{"show": newShowJSON(sh, music.FeedState{}), "created": created, "workflow_id": run})
	}))
	s.Handle("POST /api/v1/podcasts/{id}/refresh", s.authed(p.Users, curators, func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if _, err := p.Store.Show(ctx, r.PathValue("id")); err != nil {
			writeError(w, err)
			return
		}
		run, err := p.Poller.PollNow(ctx, r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"workflow_id": run})
	}))
	s.Handle("GET /api/v1/podcasts/{id}", s.authed(p.Users, nil, func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		sh, err := p.Store.Show(ctx, r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		st, err := p.Store.FeedState(ctx, sh.ID)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, newShowJSON(sh, st))
	}))
	s.Handle("GET /api/v1/podcasts/{id}/episodes", s.authed(p.Users, nil, func(w http.ResponseWriter, r *http.Request) {
		offset, limit, err := paging(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		if _, err := p.Store.Show(ctx, r.PathValue("id")); err != nil {
			writeError(w, err)
			return
		}
		eps, total, err := p.Store.Episodes(ctx, r.PathValue("id"), offset, limit)
		if err != nil {
			writeError(w, err)
			return
		}
		page := pageJSON[EpisodeJSON]{Items: make([]EpisodeJSON, 0, len(eps)), Total: total, Offset: offset, Limit: limit}
		for i := range eps {
			page.Items = append(page.Items, s.newEpisodeJSON(&eps[i]))
		}
		writeJSON(w, http.StatusOK, page)
	}))
	s.Handle("GET /api/v1/episodes/{id}", s.authed(p.Users, nil, func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		e, err := publishedEpisode(ctx, p.Store, r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		out := s.newEpisodeJSON(e)
		pr, err := p.Listening.EpisodePosition(ctx, UserFrom(ctx).ID, e.ID)
		if err != nil {
			writeError(w, err)
			return
		}
		pos := pr.Position.Milliseconds()
		out.ResumePositionMS, out.Completed = &pos, &pr.Completed
		writeJSON(w, http.StatusOK, out)
	}))
	s.handleEpisodeFiles(p)
	s.handlePodcastListening(p)
	s.episodePlays = p.Plays
	s.podcasts = p.Store
	s.handleShowTakedown(p)
	s.handleShowStats(p)
}

// publishedEpisode returns an episode a listener may play: one with audio
// that its feed still lists, of a show that was not taken down. Others are
// 404, as if absent.
func publishedEpisode(ctx context.Context, store music.PodcastStore, id string) (*music.Episode, error) {
	e, err := store.Episode(ctx, id)
	if err == nil && !e.Hidden && e.Audio != nil {
		_, err = store.Show(ctx, e.ShowID)
		if music.ErrorCode(err) != music.ENOTFOUND {
			return e, err
		}
	}
	if err == nil || music.ErrorCode(err) == music.ENOTFOUND {
		err = music.Errorf(music.ENOTFOUND, "no episode %q", id)
	}
	return e, err
}

// checkFeedURL accepts an absolute http or https URL. Whether its host
// may be reached is the fetcher's decision, made after DNS.
func checkFeedURL(raw string) error {
	if raw == "" || len(raw) > maxFeedURL {
		return music.Errorf(music.EINVALID, "field feed_url: want a URL of 1 to %d bytes", maxFeedURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return music.Errorf(music.EINVALID, "field feed_url: %q is not an absolute http or https URL without credentials", raw)
	}
	if strings.ContainsAny(raw, " \t\r\n") {
		return music.Errorf(music.EINVALID, "field feed_url: %q contains white space", raw)
	}
	return nil
}
