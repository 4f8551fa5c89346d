// Package logs builds the one log/slog logger a musicctl process hands to
// every part of itself, from the --log-format and --log-level settings;
// musicctl and the musicctl-temporal server it starts build theirs alike,
// so their lines interleave on one stderr in one format.
package logs

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Formats and the default level, as the flags name them.
const (
	FormatText   = "text"
	FormatJSON   = "json"
	DefaultLevel = "info"
)

// ParseLevel reads a level name: debug, info, warn or error.
func ParseLevel(name string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(name)); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", name)
	}
	return l, nil
}

// New returns a logger writing format ("text" or "json") to w, showing
// level and above.
func New(format string, level slog.Level, w io.Writer) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(format) {
	case FormatText:
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case FormatJSON:
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
