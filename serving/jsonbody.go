package serving

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	music "github.com/openmusic/music"
)

// MaxBodyBytes bounds every JSON request body.
const MaxBodyBytes = 64 << 10

// decodeJSON reads r's body into v strictly: at most MaxBodyBytes, one
// JSON value, no unknown fields. Every failure is EINVALID and names the
// field or byte offset at fault.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return music.Errorf(music.EINVALID, "Content-Type %q: want application/json", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return bodyError(err)
		}
		return music.Errorf(music.EINVALID, "request body: more than one JSON value")
	}
	return nil
}

// bodyError turns a decoding failure into a message a client can act on.
func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return music.Errorf(music.EINVALID, "request body is over %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return music.Errorf(music.EINVALID, "request body is empty: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return music.Errorf(music.EINVALID, "request body: JSON ends early")
	case errors.As(err, &syntax):
		return music.Errorf(music.EINVALID, "request body: malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return music.Errorf(music.EINVALID, "field %s: want %s, got JSON %s", field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return music.Errorf(music.EINVALID, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return music.Errorf(music.EINVALID, "request body: %v", fmt.Sprint(err))
}
