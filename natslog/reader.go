package natslog

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// errLostDelivery says the server delivered messages that never reached
// the lake writer: the connection dropped with a pull's answer in flight,
// or the server cut a slow client off. The server counts them as
// delivered and would redeliver them only after AckWait (minutes). Worse,
// acknowledging a later message (AckAll) would acknowledge them too, and
// they would never reach the lake. So the writer drops the batch and
// starts a new consumer generation at the committed position.
var errLostDelivery = errors.New("lake writer: a delivery never arrived")

// reader pulls from one consumer generation and checks that it received
// every delivery. Each delivery, including a redelivery, takes the
// consumer's next delivery sequence, so a jump in that sequence, or a
// server count ahead of what arrived, means something was lost.
type reader struct {
	cons jetstream.Consumer
	seen uint64 // the delivery sequence of the last message received
}

// received records the delivery sequence of a message that arrived.
func (rd *reader) received(deliverySeq uint64) error {
	if deliverySeq != rd.seen+1 {
		return fmt.Errorf("%w: delivery %d arrived after %d", errLostDelivery, deliverySeq, rd.seen)
	}
	rd.seen = deliverySeq
	return nil
}

// noneInFlight asks the server how many deliveries it has made, and
// fails if that is more than arrived. It runs only while no pull is
// open, so nothing can be on its way legitimately.
func (rd *reader) noneInFlight(ctx context.Context) error {
	info, err := rd.cons.Info(ctx)
	if err != nil {
		return fmt.Errorf("lake writer consumer info: %w", err)
	}
	if info.Delivered.Consumer != rd.seen {
		return fmt.Errorf("%w: the server made %d deliveries, %d arrived", errLostDelivery, info.Delivered.Consumer, rd.seen)
	}
	return nil
}
