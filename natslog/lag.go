package natslog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Lag is how many events the stream holds that the lake writer has not
// committed to the lake yet: the stream's last sequence minus the newest
// writer consumer's ack floor. It grows while the writer is down or
// slower than the reports; the alerts in deploy/prometheus/alerts.yml fire on it.
func (l *Log) Lag(ctx context.Context) (uint64, error) {
	b, err := l.backlog(ctx)
	if err != nil || b.last <= b.floor {
		return 0, err
	}
	return b.last - b.floor, nil
}

// LagAge is how long the oldest event the lake writer has not committed
// has waited: now minus its stream timestamp; 0 with nothing pending.
func (l *Log) LagAge(ctx context.Context, now time.Time) (time.Duration, error) {
	b, err := l.backlog(ctx)
	if err != nil || b.last <= b.floor {
		return 0, err
	}
	// Events below the stream's first sequence were dropped (a storage
	// cap); the oldest pending one is then the first still held.
	m, err := b.stream.GetMsg(ctx, max(b.floor+1, b.first))
	if err != nil {
		return 0, fmt.Errorf("stream %s: oldest pending event: %w", l.stream, err)
	}
	return max(now.Sub(m.Time), 0), nil
}

// pending is the stream's span past the writer's committed floor.
type pending struct {
	stream             jetstream.Stream
	first, last, floor uint64
}

// backlog reads the stream state and the newest writer consumer's floor.
func (l *Log) backlog(ctx context.Context) (pending, error) {
	s, err := l.js.Stream(ctx, l.stream)
	if err != nil {
		return pending{}, fmt.Errorf("stream %s: %w", l.stream, err)
	}
	state := s.CachedInfo().State
	if state.Msgs == 0 {
		return pending{stream: s}, nil
	}
	newest := -1
	names := s.ConsumerNames(ctx)
	for n := range names.Name() {
		if g, err := strconv.Atoi(strings.TrimPrefix(n, consumerPrefix)); err == nil && strings.HasPrefix(n, consumerPrefix) {
			newest = max(newest, g)
		}
	}
	if err := names.Err(); err != nil {
		return pending{}, fmt.Errorf("stream %s: list consumers: %w", l.stream, err)
	}
	floor := state.FirstSeq - 1 // no writer yet: everything is pending
	if newest >= 0 {
		c, err := s.Consumer(ctx, consumerPrefix+strconv.Itoa(newest))
		if err != nil {
			return pending{}, fmt.Errorf("lake writer consumer: %w", err)
		}
		info := c.CachedInfo()
		floor = max(info.AckFloor.Stream, info.Config.OptStartSeq-min(info.Config.OptStartSeq, 1), floor)
	}
	return pending{stream: s, first: state.FirstSeq, last: state.LastSeq, floor: floor}, nil
}
