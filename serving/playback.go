package serving

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// EventLog is the durable log accepted playback reports are appended to
// (natslog.Log). Append returns only after the log acknowledged the
// event; duplicate says it already held the event_id.
type EventLog interface {
	Append(ctx context.Context, e plays.Event) (duplicate bool, err error)
}

// maxReportBytes bounds a report body; real ones are under 400 bytes.
const maxReportBytes = 8 << 10

// HandlePlayback routes POST /api/v1/playback/report. The body is a
// play (track, device, duration, completion, quality) plus event_id,
// session_id and played_at (lake.Report). With a bearer token or the web
// player's session cookie (and its X-CSRF-Token) the play is the user's
// (and can count for royalties); without either it is anonymous. The answer is 202
// only after the log acknowledged the event; a retry with the same
// event_id is 202 again and stored once. Malformed or implausible
// reports are 400, an unknown track 422, and neither is logged; a log
// that cannot acknowledge is 503 with Retry-After.
func (s *Server) HandlePlayback(cat music.Catalog, users music.UserStore, log EventLog) {
	known := &knownTracks{cat: cat, ids: map[string]struct{}{}}
	users = cachedUsers{users, s}
	s.Handle("POST /api/v1/playback/report", s.guardTokens(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		listener, key, err := s.reportListener(r, users)
		if err != nil {
			writeError(w, err)
			return
		}
		if err := s.spend(r.Context(), LimitReports, key); err != nil {
			writeLimited(w, err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReportBytes))
		if err != nil {
			writeError(w, music.Errorf(music.EINVALID, "playback report: body unreadable or over %d bytes", maxReportBytes))
			return
		}
		rep, err := lake.DecodeReport(body)
		if err != nil {
			writeError(w, err)
			return
		}
		now := s.Now()
		switch rep.Kind {
		case "", "track":
			if rep.EpisodeID != "" {
				writeError(w, music.Errorf(music.EINVALID, "playback report: field episode_id: only with kind episode"))
				return
			}
		case "episode":
			s.reportEpisodePlay(w, r, rep, listener, now)
			return
		default:
			writeError(w, music.Errorf(music.EINVALID, "playback report: field kind: %q is not track or episode", rep.Kind))
			return
		}
		e := rep.Event(listener, now)
		if err := lake.Validate(e, now); err != nil {
			s.noteTooLate("track", e, err, now)
			writeError(w, err)
			return
		}
		if err := known.check(r.Context(), e.TrackID); err != nil {
			writeError(w, err)
			return
		}
		dup, err := log.Append(r.Context(), e)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"event_id": e.EventID, "duplicate": dup})
	})))
}

// noteTooLate records a report Validate refused as older than
// lake.MaxReportAge: counted by kind and logged, since that play is lost to
// royalties for good (an offline device uploads it anyway, so the refusal
// is seen here). Other refusals are malformed input and not recorded.
func (s *Server) noteTooLate(kind string, e plays.Event, err error, now time.Time) {
	if !errors.Is(err, lake.ErrTooLate) {
		return
	}
	s.tooLate.WithLabelValues(kind).Inc()
	if s.Log != nil {
		played := time.UnixMilli(e.PlayedAt)
		s.Log.Info("playback report refused as too late", "kind", kind, "event_id", e.EventID, "id", e.TrackID,
			"user_id", e.UserID, "device_id", e.DeviceID, "played_at", played.UTC(), "age", now.Sub(played).Round(time.Second),
			"max_age", lake.MaxReportAge)
	}
}

// optionalListener is the caller when a bearer token is given (401 if it
// is bad) and the anonymous listener otherwise.
func optionalListener(r *http.Request, users music.UserStore) (lake.Listener, error) {
	if r.Header.Get("Authorization") == "" {
		return lake.Listener{}, nil
	}
	token, ok := bearerToken(r)
	if !ok {
		return lake.Listener{}, music.Errorf(music.EUNAUTHORIZED, "Authorization header is not a bearer token")
	}
	u, err := users.UserByToken(r.Context(), token)
	if err != nil {
		return lake.Listener{}, err
	}
	return lake.Listener{UserID: u.ID, Territory: u.Country, CreatedAt: u.CreatedAt}, nil
}

// knownTracksMax bounds the cache of track IDs seen in the catalog.
const knownTracksMax = 1 << 20

// knownTracks remembers track IDs found in the catalog, so the hot path
// of a popular track costs no query. Tracks are never deleted (a takedown
// hides them, and plays of one already started still count), so a
// positive answer never goes stale.
type knownTracks struct {
	cat music.Catalog
	mu  sync.RWMutex
	ids map[string]struct{}
}

func (k *knownTracks) check(ctx context.Context, id string) error {
	k.mu.RLock()
	_, ok := k.ids[id]
	k.mu.RUnlock()
	if ok {
		return nil
	}
	if _, err := k.cat.Track(ctx, id, music.Visibility{}); err != nil {
		if music.ErrorCode(err) == music.ENOTFOUND {
			return music.Errorf(music.EUNPROCESSABLE, "playback report: field track_id: no track %q in the catalog", id)
		}
		return err
	}
	k.mu.Lock()
	if len(k.ids) >= knownTracksMax {
		clear(k.ids)
	}
	k.ids[id] = struct{}{}
	k.mu.Unlock()
	return nil
}
