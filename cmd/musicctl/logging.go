package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// newLogger builds the one logger every part of a command logs to, from
// --log-format and --log-level, writing to w (stderr).
func newLogger(cfg *Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("%s %q: want debug, info, warn or error", cfg.Source("log-level"), cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(cfg.LogFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("%s %q: want text or json", cfg.Source("log-format"), cfg.LogFormat)
}
