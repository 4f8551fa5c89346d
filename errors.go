package music

import (
	"errors"
	"fmt"
)

// Error codes. serving/ maps each to one HTTP status, in one place.
const (
	ECONFLICT      = "conflict"      // version mismatch, duplicate write
	EINTERNAL      = "internal"      // a bug or an unexpected fault
	EINVALID       = "invalid"       // malformed input
	ENOTFOUND      = "not_found"     // the thing does not exist (or is hidden)
	EUNAUTHORIZED  = "unauthorized"  // no or bad credentials
	EFORBIDDEN     = "forbidden"     // credentials fine, permission missing
	EUNPROCESSABLE = "unprocessable" // well-formed but against business rules
	ERATELIMIT     = "rate_limited"  // too many requests
	EUNAVAILABLE   = "unavailable"   // a dependency is down; retry later
	EUNSUPPORTED   = "unsupported"   // a format or feature we do not handle
	ERANGE         = "bad_range"     // byte ranges the server will not serve
	EGONE          = "gone"          // history no longer kept back to the point asked for
)

// Error is the domain error: a code that callers branch on and a message
// that is safe to show to the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the *Error's message
// when there is one, and a generic text for internal errors so that details
// of faults never leak to clients.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
