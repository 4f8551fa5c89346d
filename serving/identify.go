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
	"time"

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

// IdentifyLimits bound the CPU identify may take. Zero fields take the
// defaults.
type IdentifyLimits struct {
	// Slots is how many uploads are worked on at once (default: one per
	// core). A request takes its slot before its body is read, so waiting
	// uploads hold no disk and no CPU.
	Slots int
	// SlotWait is how long a request waits for a slot before 503 with
	// Retry-After (default 10 s).
	SlotWait time.Duration
	// Timeout bounds the work once a slot is held (default 30 s; a minute
	// of audio takes well under a second).
	Timeout time.Duration
}

// SetIdentifyLimits replaces the identify limits; call it before
// HandleIdentify.
func (s *Server) SetIdentifyLimits(l IdentifyLimits) { s.identifyLimits = l }

func (l IdentifyLimits) withDefaults() IdentifyLimits {
	if l.Slots <= 0 {
		l.Slots = runtime.GOMAXPROCS(0)
	}
	if l.SlotWait <= 0 {
		l.SlotWait = 10 * time.Second
	}
	if l.Timeout <= 0 {
		l.Timeout = 30 * time.Second
	}
	return l
}

// HandleIdentify routes POST /api/v1/identify: the body is an audio clip
// ("what song is this?"). The answer names the track, where in it the
// clip starts, and the track as GET /api/v1/tracks/{id} shows it when the
// caller may see it. Fingerprinting costs CPU, so a request first takes
// one of a few slots (503 if none frees up in time), only then reads its
// body, and must finish within the timeout.
func (s *Server) HandleIdentify(identify IdentifyFunc, cat music.Catalog, users music.UserStore) {
	lim := s.identifyLimits.withDefaults()
	slots := make(chan struct{}, lim.Slots)
	s.handleKind(routeUpload, "POST /api/v1/identify", s.authed(users, nil, func(w http.ResponseWriter, r *http.Request) {
		if err := s.spend(r.Context(), LimitIdentify, s.CallerKey(r)); err != nil {
			writeLimited(w, err)
			return
		}
		wait := time.NewTimer(lim.SlotWait)
		defer wait.Stop()
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-wait.C:
			writeError(w, music.Errorf(music.EUNAVAILABLE, "identify is busy; retry"))
			return
		case <-r.Context().Done():
			writeError(w, music.Errorf(music.EUNAVAILABLE, "identify is busy; retry"))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), lim.Timeout)
		defer cancel()
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
		id, err := identify(ctx, clip)
		if ctx.Err() == context.DeadlineExceeded {
			writeError(w, music.Errorf(music.EUNAVAILABLE, "identify took longer than %s; retry with a shorter clip", lim.Timeout))
			return
		}
		if err != nil {
			// The decoder names the file; the client knows it as its body.
			writeError(w, music.Errorf(music.ErrorCode(err), "%s", strings.ReplaceAll(music.ErrorMessage(err), clip, "request body")))
			return
		}
		out := identifyJSON{TrackID: id.TrackID, OffsetSeconds: id.OffsetSeconds, BitErrorRate: id.BitErrorRate}
		if v, err := s.visibility(r); err == nil {
			if t, err := cat.Track(ctx, id.TrackID, v); err == nil {
				tj := s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle)
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
