package serving

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"strconv"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// HandlePlayer routes the player's REST face, after Spotify's Web API
// "Player" endpoints (docs/connect.md). Changes answer 204 with the new
// state version in the Player-Version header.
func (s *Server) HandlePlayer(users music.UserStore, svc *connect.Service) {
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error)) {
		s.Handle(pattern, s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
			ev, err := h(w, r, UserFrom(r.Context()))
			if err != nil {
				writeError(w, err)
				return
			}
			w.Header().Set("Player-Version", strconv.FormatInt(ev.State.Version, 10))
			w.WriteHeader(http.StatusNoContent)
		}))
	}
	s.Handle("GET /api/v1/me/player", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		st, err := svc.State(r.Context(), UserFrom(r.Context()))
		if err != nil {
			writeError(w, err)
			return
		}
		if st.Version == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, connect.View(st, s.Now()))
	}))
	s.Handle("GET /api/v1/me/player/devices", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		u := UserFrom(r.Context())
		devs, err := svc.Devices(r.Context(), u)
		if err != nil {
			writeError(w, err)
			return
		}
		st, err := svc.State(r.Context(), u)
		if err != nil {
			writeError(w, err)
			return
		}
		out := make([]connect.DeviceView, len(devs))
		for i, d := range devs {
			out[i] = connect.DeviceView{ID: d.ID, Name: d.Name, Type: d.Type, IsActive: d.ID == st.DeviceID, LastSeen: &devs[i].LastSeen}
		}
		writeJSON(w, http.StatusOK, map[string]any{"devices": out})
	}))
	s.Handle("GET /api/v1/me/player/queue", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		q, err := svc.Queue(r.Context(), UserFrom(r.Context()))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, queueJSON(q))
	}))
	route("PUT /api/v1/me/player", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		var body struct {
			DeviceIDs []string `json:"device_ids"`
			Play      bool     `json:"play"`
		}
		if err := decodeJSON(w, r, &body); err != nil {
			return nil, err
		}
		if len(body.DeviceIDs) != 1 {
			return nil, music.Errorf(music.EINVALID, "device_ids: want exactly one device ID, got %d", len(body.DeviceIDs))
		}
		return svc.Transfer(r.Context(), u, body.DeviceIDs[0], body.Play)
	})
	route("PUT /api/v1/me/player/play", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		req, err := playRequest(w, r)
		if err != nil {
			return nil, err
		}
		return svc.Play(r.Context(), u, req)
	})
	route("PUT /api/v1/me/player/pause", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		return svc.Pause(r.Context(), u, r.URL.Query().Get("device_id"))
	})
	route("POST /api/v1/me/player/next", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		return svc.Next(r.Context(), u)
	})
	route("POST /api/v1/me/player/previous", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		return svc.Previous(r.Context(), u)
	})
	route("PUT /api/v1/me/player/seek", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		v := r.URL.Query().Get("position_ms")
		pos, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, music.Errorf(music.EINVALID, "position_ms %q: want an integer number of milliseconds", v)
		}
		return svc.Seek(r.Context(), u, pos)
	})
	route("PUT /api/v1/me/player/shuffle", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		v := r.URL.Query().Get("state")
		on, err := strconv.ParseBool(v)
		if err != nil || (v != "true" && v != "false") {
			return nil, music.Errorf(music.EINVALID, "state %q: want true or false", v)
		}
		return svc.SetShuffle(r.Context(), u, on)
	})
	route("PUT /api/v1/me/player/repeat", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		return svc.SetRepeat(r.Context(), u, r.URL.Query().Get("state"))
	})
	route("POST /api/v1/me/player/queue", func(w http.ResponseWriter, r *http.Request, u *music.User) (*connect.PlayerEvent, error) {
		uri := r.URL.Query().Get("uri")
		if uri == "" {
			return nil, music.Errorf(music.EINVALID, "uri: missing; want track:ID")
		}
		return svc.AddToQueue(r.Context(), u, uri)
	})
}

// playRequest reads PUT /me/player/play: an optional body and ?device_id=.
func playRequest(w http.ResponseWriter, r *http.Request) (connect.PlayRequest, error) {
	req := connect.PlayRequest{DeviceID: r.URL.Query().Get("device_id")}
	var body struct {
		ContextURI string   `json:"context_uri"`
		URIs       []string `json:"uris"`
		Offset     *struct {
			Position *int   `json:"position"`
			URI      string `json:"uri"`
		} `json:"offset"`
		PositionMS *int64 `json:"position_ms"`
	}
	br := bufio.NewReader(io.LimitReader(r.Body, MaxBodyBytes+1))
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return req, nil // no body: resume
	}
	r.Body = io.NopCloser(br)
	if err := decodeJSON(w, r, &body); err != nil {
		return req, err
	}
	req.ContextURI, req.URIs, req.PositionMS = body.ContextURI, body.URIs, body.PositionMS
	if o := body.Offset; o != nil {
		if o.Position != nil && o.URI != "" {
			return req, music.Errorf(music.EINVALID, "offset: give position or uri, not both")
		}
		req.OffsetIndex, req.OffsetURI = o.Position, o.URI
	}
	return req, nil
}

type queueItemJSON struct {
	ID         string `json:"id"`
	URI        string `json:"uri"`
	DurationMS int64  `json:"duration_ms"`
	FromQueue  bool   `json:"from_queue"`
}

func queueJSON(q *connect.UpNext) map[string]any {
	var cur *queueItemJSON
	if q.Current != nil {
		cur = &queueItemJSON{ID: q.Current.ID, URI: "track:" + q.Current.ID, DurationMS: q.Current.DurationMS}
	}
	items := make([]queueItemJSON, len(q.Next))
	for i, t := range q.Next {
		items[i] = queueItemJSON{ID: t.ID, URI: "track:" + t.ID, DurationMS: t.DurationMS, FromQueue: t.FromQueue}
	}
	return map[string]any{"currently_playing": cur, "queue": items}
}
