package serving

import (
	"bytes"
	"io"
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// EpisodeFileJSON is an episode's chapters or transcript file: where the
// service serves it, or why it has none.
type EpisodeFileJSON struct {
	Kind   string `json:"kind"`
	Type   string `json:"type"`
	URL    string `json:"url,omitempty"`
	Bytes  int64  `json:"bytes,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	Error  string `json:"error,omitempty"`
}

// handleEpisodeFiles serves a published episode's stored chapters and
// transcript, with the media type the feed declared and the file's
// SHA-256 as its ETag.
//
//	GET /api/v1/episodes/{id}/chapters
//	GET /api/v1/episodes/{id}/transcript
func (s *Server) handleEpisodeFiles(p Podcasts) {
	for _, kind := range []string{music.EpisodeChapters, music.EpisodeTranscript} {
		s.Handle("GET /api/v1/episodes/{id}/"+kind, s.authed(p.Users, nil, func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			e, err := publishedEpisode(ctx, p.Store, r.PathValue("id"))
			if err != nil {
				writeError(w, err)
				return
			}
			f := e.Audio.File(kind)
			if f == nil || p.Blobs == nil {
				writeError(w, music.Errorf(music.ENOTFOUND, "episode %s has no stored %s", e.ID, kind))
				return
			}
			rc, _, err := p.Blobs.Get(ctx, f.Key)
			if err != nil {
				writeError(w, err)
				return
			}
			defer rc.Close()
			data, err := io.ReadAll(rc) // small (rss.MaxSideFileBytes), and verified against its SHA-256
			if err != nil {
				writeError(w, err)
				return
			}
			w.Header().Set("Content-Type", f.Type)
			w.Header().Set("ETag", `"`+f.SHA256+`"`)
			w.Header().Set("Cache-Control", "private, max-age=3600")
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
		}))
	}
}
