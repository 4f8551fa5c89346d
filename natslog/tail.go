package natslog

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmusic/music/plays"
)

// Tail calls handle with every event appended from now on, in stream
// order, until stop is called; it returns once the consumer is in place. It holds no durable state: an ordered, ephemeral
// consumer that the client recreates after a reconnect, so each serving
// process can follow the log for live features (friend activity) without
// touching the lake writer's position. Messages that are not events are
// skipped; handle's errors are reported to onError (nil: dropped).
func (l *Log) Tail(ctx context.Context, handle func(context.Context, plays.Event) error, onError func(error)) (stop func(), err error) {
	c, err := l.js.OrderedConsumer(ctx, l.stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{l.subject},
		DeliverPolicy:  jetstream.DeliverNewPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("tail %s: %w", l.stream, err)
	}
	cc, err := c.Consume(func(m jetstream.Msg) {
		e, err := decodeEvent(m.Data())
		if err == nil {
			err = handle(ctx, e)
		}
		if err != nil && onError != nil {
			onError(err)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("tail %s: %w", l.stream, err)
	}
	return cc.Stop, nil
}
