package password

import (
	"bytes"
	"fmt"
	"io"
)

// Read reads a password from r (a pipe: `printf '%s\n' "$PW" | …`): the
// whole input up to MaxLen bytes, without one trailing newline (\n or
// \r\n), checked with Check.
func Read(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxLen+3))
	if err != nil {
		return "", fmt.Errorf("password: reading: %w", err)
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if bytes.ContainsAny(b, "\r\n") {
		return "", fmt.Errorf("password: more than one line on standard input")
	}
	pw := string(b)
	return pw, Check(pw)
}
