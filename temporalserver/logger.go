package temporalserver

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"

	sdklog "go.temporal.io/sdk/log"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLog passes the server's own log to slog. The server narrates its
// life at info (membership, shard moves, every service start): that is
// debug here. Warnings and errors keep their level, except below floor:
// at shutdown every poller fails once, so Stop raises the floor to error.
type serverLog struct {
	log   *slog.Logger
	floor *atomic.Int64 // least slog.Level passed on
}

func newServerLog(log *slog.Logger) serverLog {
	floor := new(atomic.Int64)
	floor.Store(int64(slog.LevelDebug - 4))
	return serverLog{log: log.With("component", "temporal-server"), floor: floor}
}

// raiseFloor drops everything below level from now on.
func (l serverLog) raiseFloor(level slog.Level) { l.floor.Store(int64(level)) }

func (l serverLog) Debug(msg string, tags ...tag.Tag) { l.emit(slog.LevelDebug-4, msg, tags) }
func (l serverLog) Info(msg string, tags ...tag.Tag)  { l.emit(slog.LevelDebug, msg, tags) }
func (l serverLog) Warn(msg string, tags ...tag.Tag) {
	level := slog.LevelWarn
	for _, q := range expectedWarnings {
		if strings.HasPrefix(msg, q) {
			level = slog.LevelDebug
		}
	}
	l.emit(level, msg, tags)
}

// expectedWarnings are warnings the embedded set-up causes by design on
// every start; they are debug here, not something to act on.
var expectedWarnings = []string{
	"HTTP API port has not been set", // no Nexus HTTP endpoint: up needs none
}

func (l serverLog) Error(msg string, tags ...tag.Tag) { l.emit(slog.LevelError, msg, tags) }

// DPanic is an error: the server's "panic in development" is not ours.
func (l serverLog) DPanic(msg string, tags ...tag.Tag) { l.emit(slog.LevelError, msg, tags) }

// Panic and Fatal keep their meaning for the server's code that calls
// them: log, then panic or exit.
func (l serverLog) Panic(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
	panic(msg)
}

func (l serverLog) Fatal(msg string, tags ...tag.Tag) {
	l.emit(slog.LevelError, msg, tags)
	os.Exit(1)
}

// With returns a logger with tags on every line.
func (l serverLog) With(tags ...tag.Tag) tlog.Logger {
	return serverLog{log: l.log.With(attrs(tags)...), floor: l.floor}
}

func (l serverLog) emit(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if int64(level) < l.floor.Load() || !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, msg, attrs(tags)...)
}

func attrs(tags []tag.Tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, slog.Any(t.Key(), t.Value()))
	}
	return out
}

// sdkLogger is the log of the SDK client the server uses on itself (the
// health check and namespace set-up).
func sdkLogger(log *slog.Logger) sdklog.Logger {
	return sdklog.NewStructuredLogger(log.With("component", "temporal-sdk"))
}
