package serving

import (
	"net/http"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
)

// reportEpisodePlay stores a playback report of kind "episode". It is
// checked like a music play (IDs, played_at, duration), but kept apart
// from the event log: episode plays never reach royalties or charts, only
// the show's statistics.
func (s *Server) reportEpisodePlay(w http.ResponseWriter, r *http.Request, rep lake.Report, l lake.Listener, now time.Time) {
	if s.episodePlays == nil {
		writeError(w, music.Errorf(music.EINVALID, "playback report: field kind: podcasts are not served here"))
		return
	}
	switch {
	case rep.EpisodeID == "":
		writeError(w, music.Errorf(music.EINVALID, "playback report: field episode_id: missing"))
		return
	case rep.TrackID != "":
		writeError(w, music.Errorf(music.EINVALID, "playback report: field track_id: not with kind episode"))
		return
	}
	rep.TrackID = rep.EpisodeID // so Validate checks it as it checks a track ID
	e := rep.Event(l, now)
	if err := lake.Validate(e, now); err != nil {
		s.noteTooLate("episode", e, err, now)
		writeError(w, err)
		return
	}
	dup, err := s.episodePlays.RecordEpisodePlay(r.Context(), music.EpisodePlay{EventID: e.EventID, UserID: e.UserID,
		EpisodeID: rep.EpisodeID, DeviceID: e.DeviceID, PlayedAt: time.UnixMilli(e.PlayedAt),
		Listened: time.Duration(e.DurationListenedMs) * time.Millisecond, Completed: e.Completed})
	if music.ErrorCode(err) == music.ENOTFOUND {
		err = music.Errorf(music.EUNPROCESSABLE, "playback report: field episode_id: no episode %q", rep.EpisodeID)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"event_id": e.EventID, "duplicate": dup})
}

// showStatsJSON is GET /api/v1/podcasts/{id}/stats.
type showStatsJSON struct {
	ShowID string        `json:"show_id"`
	From   string        `json:"from"`
	To     string        `json:"to"`
	Days   []showDayJSON `json:"days"`
}

type showDayJSON struct {
	Day        string `json:"day"`
	Plays      int    `json:"plays"`
	Listeners  int    `json:"listeners"`
	ListenedMS int64  `json:"listened_ms"`
	Completed  int    `json:"completed"`
}

// maxStatsDays bounds a stats request.
const maxStatsDays = 366

// handleShowStats routes GET /api/v1/podcasts/{id}/stats?from&to (ops,
// label): a show's plays per UTC day, the last 30 days by default.
func (s *Server) handleShowStats(p Podcasts) {
	s.Handle("GET /api/v1/podcasts/{id}/stats", s.authed(p.Users, curators, func(w http.ResponseWriter, r *http.Request) {
		from, to, err := statsRange(r, s.Now())
		if err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		if _, err := p.Store.Show(ctx, r.PathValue("id")); err != nil {
			writeError(w, err)
			return
		}
		days, err := p.Plays.ShowStats(ctx, r.PathValue("id"), from, to)
		if err != nil {
			writeError(w, err)
			return
		}
		out := showStatsJSON{ShowID: r.PathValue("id"), From: from, To: to, Days: make([]showDayJSON, 0, len(days))}
		for _, d := range days {
			out.Days = append(out.Days, showDayJSON{Day: d.Day, Plays: d.Plays, Listeners: d.Listeners,
				ListenedMS: d.Listened.Milliseconds(), Completed: d.Completed})
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

// statsRange reads ?from= and ?to= (YYYY-MM-DD, inclusive).
func statsRange(r *http.Request, now time.Time) (from, to string, err error) {
	q := r.URL.Query()
	end, start := now.UTC(), now.UTC().AddDate(0, 0, -29)
	for _, f := range []struct {
		name string
		t    *time.Time
	}{{"to", &end}, {"from", &start}} {
		if v := q.Get(f.name); v != "" {
			if *f.t, err = time.Parse(time.DateOnly, v); err != nil {
				return "", "", music.Errorf(music.EINVALID, "query parameter %s: want YYYY-MM-DD, got %q", f.name, v)
			}
		}
	}
	if end.Before(start) || end.Sub(start) > maxStatsDays*24*time.Hour {
		return "", "", music.Errorf(music.EINVALID, "query parameters from, to: want from <= to, at most %d days apart", maxStatsDays)
	}
	return start.Format(time.DateOnly), end.Format(time.DateOnly), nil
}
