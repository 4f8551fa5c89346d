package serving

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"time"

	music "github.com/openmusic/music"
)

// IdempotencyHeader names the client's key for a retry-safe POST.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyTTL is how long a POST's answer is kept for replays.
const idempotencyTTL = 24 * time.Hour

// SetIdempotencyStore shares kept answers between serving processes
// (redis.Idempotency, with FallbackIdempotency); by default they live in
// this process (MemoryIdempotency).
func (s *Server) SetIdempotencyStore(store music.IdempotencyStore) { s.idem = store }

// maxKeptAnswer bounds one kept answer; a larger one is not kept (its key
// is released), since replaying a page of results is not what the header
// is for.
const maxKeptAnswer = 64 << 10

// maxIdempotencyKey bounds the header's length.
const maxIdempotencyKey = 200

// idempotent wraps a POST handler. The first request with a key runs and
// its answer is kept; a repeat with the same body gets that answer again
// (with Idempotent-Replayed: true), one with another body is 422, and one
// arriving while the first still runs is 409.
func (s *Server) idempotent(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(IdempotencyHeader)
		if key == "" || r.Method != http.MethodPost {
			h.ServeHTTP(w, r)
			return
		}
		if len(key) > maxIdempotencyKey {
			writeError(w, music.Errorf(music.EINVALID, "%s: at most %d characters", IdempotencyHeader, maxIdempotencyKey))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			writeError(w, bodyError(err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		uid := ""
		if u := UserFrom(r.Context()); u != nil {
			uid = u.ID
		}
		id := r.URL.Path + "\x00" + key
		sum := sha256.Sum256(body)
		prior, err := s.idem.Claim(r.Context(), uid, id, sum, idempotencyTTL)
		switch {
		case err != nil:
			writeError(w, err)
			return
		case prior == nil:
		case prior.BodyHash != sum:
			writeError(w, music.Errorf(music.EUNPROCESSABLE, "%s %q was used with another request body", IdempotencyHeader, key))
			return
		case !prior.Done:
			writeError(w, music.Errorf(music.ECONFLICT, "a request with %s %q is still running", IdempotencyHeader, key))
			return
		default:
			for k, v := range prior.Header {
				w.Header()[k] = v
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prior.Status)
			w.Write(prior.Body)
			return
		}
		rec := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		// The answer is on its way; keeping it must not hold the request.
		ctx := context.WithoutCancel(r.Context())
		if rec.status >= 500 || rec.buf.Len() > maxKeptAnswer {
			s.idem.Release(ctx, uid, id) // a fault is worth retrying for real
			return
		}
		answer := music.IdempotentAnswer{BodyHash: sum, Done: true, Status: rec.status, Header: w.Header().Clone(), Body: rec.buf.Bytes()}
		if err := s.idem.Keep(ctx, uid, id, answer); err != nil {
			s.idem.Release(ctx, uid, id)
		}
	})
}

// recordingWriter copies what a handler writes.
type recordingWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}
