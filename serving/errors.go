package serving

import (
	"net/http"
	"strconv"

	music "github.com/openmusic/music"
)

// statusOf maps a domain error code to its HTTP status. This is the only
// place that knows the mapping.
func statusOf(code string) int {
	switch code {
	case music.EINVALID:
		return http.StatusBadRequest
	case music.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case music.EFORBIDDEN:
		return http.StatusForbidden
	case music.ENOTFOUND:
		return http.StatusNotFound
	case music.ECONFLICT:
		return http.StatusConflict
	case music.EUNPROCESSABLE, music.EUNSUPPORTED:
		return http.StatusUnprocessableEntity
	case music.ERANGE:
		return http.StatusRequestedRangeNotSatisfiable
	case music.EGONE:
		return http.StatusGone
	case music.ERATELIMIT:
		return http.StatusTooManyRequests
	case music.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the one error format every endpoint answers with.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		// CurrentVersion comes with a stale If-Match (409), so the client
		// can re-read and retry.
		CurrentVersion *int64 `json:"current_version,omitempty"`
	} `json:"error"`
}

// retryAfterSeconds is what a 503 asks clients to wait before retrying.
const retryAfterSeconds = "1"

// writeError answers with err's status and the standard error body. A
// dependency outage (503) carries Retry-After.
func writeError(w http.ResponseWriter, err error) {
	noteError(w, err)
	code := music.ErrorCode(err)
	if code == music.EUNAVAILABLE {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = music.ErrorMessage(err)
	if v, ok := music.CurrentVersion(err); ok {
		body.Error.CurrentVersion = &v
		w.Header().Set("ETag", versionETag(v))
	}
	writeJSON(w, statusOf(code), body)
}

// noteError hands err to the request's statusWriter, however deeply
// wrapped, so that a 5xx answer is logged with its cause.
func noteError(w http.ResponseWriter, err error) {
	for {
		if sw, ok := w.(*statusWriter); ok {
			sw.err = err
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}

// versionETag is the ETag of a playlist version.
func versionETag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }
