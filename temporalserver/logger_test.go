package temporalserver

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"go.temporal.io/server/common/log/tag"
)

func TestServerLogLevels(t *testing.T) {
	cases := []struct {
		least slog.Level
		emit  func(serverLog)
		want  string // "" for nothing
	}{
		{slog.LevelInfo, func(l serverLog) { l.Info("membership changed") }, ""},
		{slog.LevelDebug, func(l serverLog) { l.Info("membership changed") }, "level=DEBUG msg=\"membership changed\""},
		{slog.LevelInfo, func(l serverLog) { l.Warn("slow", tag.NewStringTag("shard", "1")) }, "level=WARN msg=slow component=temporal-server shard=1"},
		{slog.LevelInfo, func(l serverLog) { l.With(tag.NewInt("n", 2)).Error("broke") }, "level=ERROR msg=broke component=temporal-server n=2"},
		{slog.LevelInfo, func(l serverLog) { l.raiseFloor(slog.LevelError); l.Warn("poller failed") }, ""},
		{slog.LevelInfo, func(l serverLog) {
			l.Warn("HTTP API port has not been set. Nexus HTTP endpoints will not be available.")
		}, ""},
		{slog.LevelInfo, func(l serverLog) { l.raiseFloor(slog.LevelError); l.Error("still shown") }, "level=ERROR msg=\"still shown\""},
	}
	for i, tc := range cases {
		var buf bytes.Buffer
		l := newServerLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.least})))
		tc.emit(l)
		got := buf.String()
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("case %d: logged %q, want %q", i, got, tc.want)
		}
	}
}
