package natslog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// consumerPrefix names the lake writer's durable consumers; a generation
// number follows.
const consumerPrefix = "lake-writer-g"

// AckWait is how long a delivered batch may stay unacknowledged before
// the server redelivers it; writing one batch takes far less.
const AckWait = 5 * time.Minute

// freshConsumer returns a durable pull consumer that delivers in stream
// order from the first event the lake does not have yet, and that
// stream sequence minus one (the committed position).
//
// Why a new generation each time the writer starts: after a crash the old
// consumer holds unacknowledged deliveries that it would redeliver only
// after AckWait, interleaved with new events, and a batch mixing them
// would get a sequence range overlapping the one written before the
// crash. A new consumer starting at the old one's ack floor replays in
// order instead, so the first batch starts where the failed one started
// and its files supersede any it left. (nats-server 2.14 can reset a
// consumer in place; this also works on older clusters.) The new
// generation is created before the old is deleted, so a crash in between
// leaves two, and the next start picks the newer one.
func freshConsumer(ctx context.Context, js jetstream.JetStream, stream, subject string, maxAckPending int) (jetstream.Consumer, uint64, error) {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return nil, 0, fmt.Errorf("stream %s: %w", stream, err)
	}
	var gens []int
	names := s.ConsumerNames(ctx)
	for n := range names.Name() {
		if g, err := strconv.Atoi(strings.TrimPrefix(n, consumerPrefix)); err == nil && strings.HasPrefix(n, consumerPrefix) {
			gens = append(gens, g)
		}
	}
	if err := names.Err(); err != nil {
		return nil, 0, fmt.Errorf("stream %s: list consumers: %w", stream, err)
	}
	next, floor := 0, uint64(0)
	for _, g := range gens {
		next = max(next, g+1)
	}
	if len(gens) > 0 {
		c, err := s.Consumer(ctx, consumerPrefix+strconv.Itoa(next-1))
		if err != nil {
			return nil, 0, fmt.Errorf("lake writer consumer: %w", err)
		}
		info := c.CachedInfo()
		// A generation that acknowledged nothing yet starts after its
		// OptStartSeq-1; take that too, whatever the server reports.
		floor = max(info.AckFloor.Stream, info.Config.OptStartSeq-min(info.Config.OptStartSeq, 1))
	}
	cfg := jetstream.ConsumerConfig{
		Durable:       consumerPrefix + strconv.Itoa(next),
		Description:   "lake writer: events to Parquet, acked after the blob store has them",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckAllPolicy,
		AckWait:       AckWait,
		MaxAckPending: maxAckPending,
		FilterSubject: subject,
	}
	if floor > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, floor+1
	}
	c, err := s.CreateOrUpdateConsumer(ctx, cfg)
	if err != nil {
		return nil, 0, fmt.Errorf("lake writer consumer %s: %w", cfg.Durable, err)
	}
	for _, g := range gens {
		if err := s.DeleteConsumer(ctx, consumerPrefix+strconv.Itoa(g)); err != nil {
			return nil, 0, fmt.Errorf("delete old lake writer consumer: %w", err)
		}
	}
	return c, floor, nil
}
