package serving

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// IdempotencyHeader names the client's key for a retry-safe POST.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyTTL is how long a POST's answer is kept for replays.
const idempotencyTTL = 24 * time.Hour

// Idempotency remembers the answers of POSTs that carried an
// Idempotency-Key, per user, so a retried POST returns the first answer
// instead of acting twice. It lives in this process: a retry that reaches
// another serving process is not recognised (a shared store such as Redis
// would be the next step).
type Idempotency struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
}

type idemEntry struct {
	bodyHash [32]byte
	done     bool
	status   int
	header   http.Header
	body     []byte
	at       time.Time
}

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
		id := uid + "\x00" + r.URL.Path + "\x00" + key
		sum := sha256.Sum256(body)
		now := s.Now()

		st := &s.idem
		st.mu.Lock()
		if st.entries == nil {
			st.entries = map[string]*idemEntry{}
		}
		e, seen := st.entries[id]
		if seen && now.Sub(e.at) > idempotencyTTL {
			seen = false
		}
		if !seen {
			e = &idemEntry{bodyHash: sum, at: now}
			st.entries[id] = e
			st.sweep(now)
		}
		st.mu.Unlock()
		if seen {
			switch {
			case e.bodyHash != sum:
				writeError(w, music.Errorf(music.EUNPROCESSABLE, "%s %q was used with another request body", IdempotencyHeader, key))
			case !e.done:
				writeError(w, music.Errorf(music.ECONFLICT, "a request with %s %q is still running", IdempotencyHeader, key))
			default:
				for k, v := range e.header {
					w.Header()[k] = v
				}
				w.Header().Set("Idempotent-Replayed", "true")
				w.WriteHeader(e.status)
				w.Write(e.body)
			}
			return
		}
		rec := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		st.mu.Lock()
		defer st.mu.Unlock()
		if rec.status >= 500 {
			delete(st.entries, id) // a fault is worth retrying for real
			return
		}
		e.done, e.status, e.header, e.body = true, rec.status, w.Header().Clone(), rec.buf.Bytes()
	})
}

// sweep drops expired answers; called with mu held.
func (st *Idempotency) sweep(now time.Time) {
	if len(st.entries)%1024 != 0 {
		return // amortised: look only now and then
	}
	for k, e := range st.entries {
		if now.Sub(e.at) > idempotencyTTL {
			delete(st.entries, k)
		}
	}
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
