package serving

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	music "github.com/openmusic/music"
)

// MaxIdentifyBytes bounds an identify upload: a minute of 44.1 kHz 16-bit
// stereo WAV is 10.6 MB, and only the first minute is fingerprinted.
const MaxIdentifyBytes = 16 << 20

// Identified is the track an uploaded clip was found in.
type Identified struct {
	TrackID       string
	OffsetSeconds float64 // where the clip starts in the track
	BitErrorRate  float64 // of the best alignment; lower is closer
}

// IdentifyFunc fingerprints the audio file at path (WAV, FLAC or Ogg
// Vorbis) and looks it up in the catalog's fingerprint index. No match is
// ENOTFOUND; audio too short or silent to identify is EINVALID.
type IdentifyFunc func(ctx context.Context, path string) (Identified, error)

type identifyJSON struct {
	TrackID       string     `json:"track_id"`
	OffsetSeconds float64    `json:"offset_seconds"`
	BitErrorRate  float64    `json:"bit_error_rate"`
	Track         *trackJSON `json:"track,omitempty"` // absent if the caller may not see it
}

// HandleIdentify routes POST /api/v1/identify: the body is an audio clip
// ("what song is this?"). The answer names the track, where in it the
// clip starts, and the track as GET /api/v1/tracks/{id} shows it when the
// caller may see it. Fingerprinting costs CPU, so at most one upload per
// core is worked on at a time; others wait for a slot, not longer than
// their request lives.
func (s *Server) HandleIdentify(identify IdentifyFunc, cat music.Catalog, users music.UserStore) {
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	s.Handle("POST /api/v1/identify", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		dir, err := os.MkdirTemp("", "identify-")
		if err != nil {
			writeError(w, err)
			return
		}
		defer os.RemoveAll(dir)
		clip := filepath.Join(dir, "clip")
		if err := saveBody(w, r, clip); err != nil {
			writeError(w, err)
			return
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-ctx.Done():
			writeError(w, music.Errorf(music.EUNAVAILABLE, "identify is busy; retry"))
			return
		}
		id, err := identify(ctx, clip)
		if err != nil {
			// The decoder names the file; the client knows it as its body.
			writeError(w, music.Errorf(music.ErrorCode(err), "%s", strings.ReplaceAll(music.ErrorMessage(err), clip, "request body")))
			return
		}
		out := identifyJSON{TrackID: id.TrackID, OffsetSeconds: id.OffsetSeconds, BitErrorRate: id.BitErrorRate}
		if v, err := s.visibility(r); err == nil {
			if t, err := cat.Track(ctx, id.TrackID, v); err == nil {
				tj := s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle, v.Territory)
				out.Track = &tj
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

// saveBody writes the request body to path, at most MaxIdentifyBytes.
func saveBody(w http.ResponseWriter, r *http.Request, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, http.MaxBytesReader(w, r.Body, MaxIdentifyBytes))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return music.Errorf(music.EINVALID, "request body is over %d bytes: send at most a minute of audio", tooBig.Limit)
	case err != nil:
		return music.Errorf(music.EINVALID, "request body: %v", err)
	case n == 0:
		return music.Errorf(music.EINVALID, "request body is empty: send an audio clip (WAV, FLAC or Ogg Vorbis)")
	}
	return nil
}
