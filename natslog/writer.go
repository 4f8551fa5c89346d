package natslog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// WriterOptions tunes the lake writer.
type WriterOptions struct {
	// MaxEvents caps one batch (one set of part files); default 100,000.
	MaxEvents int
	// FlushEvery is how long a batch gathers before it is written once the
	// stream has nothing more to deliver; default 10 s.
	FlushEvery time.Duration
	// Exclusive says no other process can reach this stream (the embedded
	// server listens on no port), so the writer lease is skipped and a
	// restart resumes at once instead of after LeaseTTL.
	Exclusive bool
	// ID names this writer in the lease (hostname:pid).
	ID string
	// Lake tunes the Parquet files.
	Lake lake.WriterOptions
	// Logf reports retries and dead letters; nil discards.
	Logf func(format string, args ...any)
}

func (o *WriterOptions) defaults() {
	if o.MaxEvents <= 0 {
		o.MaxEvents = 100_000
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = 10 * time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// DeadLetterPrefix is where messages that are not events are kept, one
// object per stream sequence, instead of blocking the lake or vanishing.
const DeadLetterPrefix = "lake-deadletter/playback/"

// RunLakeWriter drains the stream into the lake in store until ctx ends.
// Failures (blob store or log down, lease lost) are logged and retried
// with backoff; the position is the durable consumer's ack floor, which
// moves only after a batch's files are stored.
func (l *Log) RunLakeWriter(ctx context.Context, store music.BlobStore, opts WriterOptions) error {
	opts.defaults()
	backoff := 250 * time.Millisecond
	for ctx.Err() == nil {
		progressed, err := l.writeUntilError(ctx, store, opts)
		if ctx.Err() != nil {
			return nil
		}
		if progressed {
			backoff = 250 * time.Millisecond
		}
		opts.Logf("lake writer: %v (retrying in %v)", err, backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
	return nil
}

// writeUntilError takes the lease, opens a fresh consumer and writes
// batches until something fails. progressed says a batch was committed.
func (l *Log) writeUntilError(ctx context.Context, store music.BlobStore, opts WriterOptions) (progressed bool, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if !opts.Exclusive {
		ls, err := acquireLease(ctx, l.js, l.stream, opts.ID)
		if err != nil {
			return false, err
		}
		defer ls.release()
		go ls.hold(ctx, cancel)
	}
	cons, committed, err := freshConsumer(ctx, l.js, l.stream, l.subject, 2*opts.MaxEvents)
	if err != nil {
		return false, err
	}
	rd := &reader{cons: cons}
	for {
		b, err := collect(ctx, rd, committed, opts)
		if err != nil {
			return progressed, errors.Join(err, context.Cause(ctx))
		}
		if err := writeBatch(ctx, store, b, opts); err != nil {
			return progressed, errors.Join(err, context.Cause(ctx))
		}
		// AckAll: acknowledging the last message commits the whole batch.
		if err := b.last.DoubleAck(ctx); err != nil {
			return progressed, fmt.Errorf("ack batch %d-%d: %w", b.r.First, b.r.Last, err)
		}
		committed, progressed = b.r.Last, true
	}
}

// batch is a run of deliveries in stream order.
type batch struct {
	r      lake.SeqRange
	events []plays.Event
	bad    []badMsg
	last   jetstream.Msg
}

type badMsg struct {
	seq  uint64
	data []byte
	err  error
}

// collect gathers the next batch after committed: it is full at
// MaxEvents, and otherwise ends once FlushEvery has passed and the stream
// has nothing more to deliver. So a batch retried after a crash starts at
// the same sequence and ends no earlier than the first try, and its files
// supersede the first try's (see lake.ListFiles). It fails with
// errLostDelivery when a delivery never arrived (see reader).
func collect(ctx context.Context, rd *reader, committed uint64, opts WriterOptions) (*batch, error) {
	b := &batch{}
	n := 0
	start := time.Now()
	for n < opts.MaxEvents {
		wait := max(opts.FlushEvery-time.Since(start), 50*time.Millisecond)
		fetched, err := rd.cons.Fetch(opts.MaxEvents-n, jetstream.FetchMaxWait(wait))
		if err != nil {
			return nil, fmt.Errorf("fetch: %w", err)
		}
		drained := true
		for m := range fetched.Messages() {
			meta, err := m.Metadata()
			if err != nil {
				return nil, fmt.Errorf("message metadata: %w", err)
			}
			if err := rd.received(meta.Sequence.Consumer); err != nil {
				return nil, err
			}
			seq := meta.Sequence.Stream
			drained = meta.NumPending == 0
			if seq <= committed || (b.last != nil && seq <= b.r.Last) {
				continue // a redelivery of what the lake already has
			}
			if b.last == nil {
				b.r.First = seq
			}
			b.r.Last, b.last = seq, m
			n++
			e, err := decodeEvent(m.Data())
			if err == nil {
				err = lake.Validate(e, time.UnixMilli(e.ReceivedAt))
			}
			if err != nil {
				b.bad = append(b.bad, badMsg{seq, m.Data(), err})
				continue
			}
			b.events = append(b.events, e)
		}
		if err := fetched.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, jetstream.ErrNoHeartbeat) {
			return nil, fmt.Errorf("fetch: %w", err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if time.Since(start) >= opts.FlushEvery && (b.last == nil || drained) {
			// Idle, or about to end the batch: the server must not have
			// delivered anything this reader did not receive.
			if err := rd.noneInFlight(ctx); err != nil {
				return nil, err
			}
			if b.last != nil {
				break
			}
			start = time.Now() // idle: keep waiting
		}
	}
	return b, nil
}

// writeBatch stores a batch's part files (and dead letters), retrying
// until it succeeds or ctx ends; the batch is not acknowledged before.
func writeBatch(ctx context.Context, store music.BlobStore, b *batch, opts WriterOptions) error {
	backoff := 100 * time.Millisecond
	for {
		err := putBatch(ctx, store, b, opts)
		if err == nil {
			return nil
		}
		opts.Logf("lake writer: batch %d-%d: %v (retrying in %v)", b.r.First, b.r.Last, err, backoff)
		select {
		case <-ctx.Done():
			return fmt.Errorf("batch %d-%d not written: %w", b.r.First, b.r.Last, err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func putBatch(ctx context.Context, store music.BlobStore, b *batch, opts WriterOptions) error {
	for _, m := range b.bad {
		key := fmt.Sprintf("%s%020d.json", DeadLetterPrefix, m.seq)
		if _, err := store.Put(ctx, key, bytes.NewReader(m.data), music.PutOptions{ContentType: "application/json"}); err != nil {
			return fmt.Errorf("dead letter %s: %w", key, err)
		}
		opts.Logf("lake writer: stream sequence %d is not a valid event (%v); kept as %s", m.seq, m.err, key)
	}
	if len(b.events) == 0 {
		return nil
	}
	_, err := lake.WriteBatch(ctx, store, b.r, b.events, opts.Lake)
	return err
}
