package natslog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Lag is how many events the stream holds that the lake writer has not
// committed to the lake yet: the stream's last sequence minus the newest
// writer consumer's ack floor. It grows while the writer is down or
// slower than the reports; the alert in docs/security.md fires on it.
func (l *Log) Lag(ctx context.Context) (uint64, error) {
	s, err := l.js.Stream(ctx, l.stream)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", l.stream, err)
	}
	state := s.CachedInfo().State
	if state.Msgs == 0 {
		return 0, nil
	}
	newest := -1
	names := s.ConsumerNames(ctx)
	for n := range names.Name() {
		if g, err := strconv.Atoi(strings.TrimPrefix(n, consumerPrefix)); err == nil && strings.HasPrefix(n, consumerPrefix) {
			newest = max(newest, g)
		}
	}
	if err := names.Err(); err != nil {
		return 0, fmt.Errorf("stream %s: list consumers: %w", l.stream, err)
	}
	floor := state.FirstSeq - 1 // no writer yet: everything is pending
	if newest >= 0 {
		c, err := s.Consumer(ctx, consumerPrefix+strconv.Itoa(newest))
		if err != nil {
			return 0, fmt.Errorf("lake writer consumer: %w", err)
		}
		info := c.CachedInfo()
		floor = max(info.AckFloor.Stream, info.Config.OptStartSeq-min(info.Config.OptStartSeq, 1), floor)
	}
	if state.LastSeq <= floor {
		return 0, nil
	}
	return state.LastSeq - floor, nil
}
