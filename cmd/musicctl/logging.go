package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/openmusic/music/logs"
)

// newLogger builds the one logger every part of a command logs to, from
// --log-format and --log-level, writing to w (stderr).
func newLogger(cfg *Config, w io.Writer) (*slog.Logger, error) {
	level, err := logs.ParseLevel(cfg.LogLevel)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Source("log-level"), err)
	}
	log, err := logs.New(cfg.LogFormat, level, w)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Source("log-format"), err)
	}
	return log, nil
}
