package serving

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// timeFirstByte wraps w so that the time until the answer's headers is
// recorded in music_audio_first_byte_seconds: what a player waits before
// a track starts (kind start) or a seek lands (kind range).
func (s *Server) timeFirstByte(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
	kind := "range"
	if rg := r.Header.Get("Range"); rg == "" || strings.HasPrefix(strings.TrimSpace(rg), "bytes=0-") {
		kind = "start"
	}
	return &firstByteWriter{ResponseWriter: w, start: time.Now(), obs: s.firstByte.WithLabelValues(kind)}
}

// firstByteWriter observes once, at the first header or body write;
// errors (4xx, 5xx) are not a stream start and are not observed. It
// forwards ReadFrom so that file bodies keep using sendfile.
type firstByteWriter struct {
	http.ResponseWriter
	start time.Time
	obs   prometheus.Observer
	done  bool
}

func (w *firstByteWriter) mark(code int) {
	if w.done {
		return
	}
	w.done = true
	if code < 400 {
		w.obs.Observe(time.Since(w.start).Seconds())
	}
}

func (w *firstByteWriter) WriteHeader(code int) {
	w.mark(code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *firstByteWriter) Write(b []byte) (int, error) {
	w.mark(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

func (w *firstByteWriter) ReadFrom(r io.Reader) (int64, error) {
	w.mark(http.StatusOK)
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}

func (w *firstByteWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
