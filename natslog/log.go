package natslog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// Defaults of the playback stream.
const (
	// DefaultStream is the JetStream stream of playback events.
	DefaultStream = "PLAYBACK"
	// DuplicateWindow is how long an event_id is remembered: a client
	// retry within it is stored once. Players retry for at most a minute;
	// the window costs memory per event, so it is not made longer.
	DuplicateWindow = 2 * time.Minute
	// Retention keeps events in the stream after the lake has them, so the
	// lake can be rebuilt from the log for a week.
	Retention = 7 * 24 * time.Hour
	// AppendTimeout bounds one append; past it the caller answers 503.
	AppendTimeout = 5 * time.Second
)

// Options names the stream; the zero value means DefaultStream.
type Options struct {
	// Stream is the stream name; its subject is "<stream lowercase>.events".
	Stream string
	// Replicas is the stream's replication factor on a cluster (1 if 0).
	// An existing stream's larger factor is kept (see streamLimits).
	Replicas int
	// MaxBytes caps the stream's storage; the oldest events go first when
	// it is full (the lake has them long before). 0 means no cap; an
	// existing stream's larger cap is kept.
	MaxBytes int64
}

func (o Options) stream() string {
	if o.Stream == "" {
		return DefaultStream
	}
	return o.Stream
}

// Subject is where events of stream are published.
func Subject(stream string) string { return "music." + stream + ".events" }

// Log appends playback events to the JetStream stream.
type Log struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  string
	subject string
}

// Connect dials url ("nats://host:4222") and makes sure the stream exists.
// The connection reconnects forever; while it is down, appends fail with
// EUNAVAILABLE.
func Connect(ctx context.Context, url string, opts Options) (*Log, error) {
	nc, err := nats.Connect(url, nats.Name("musicctl"), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.RetryOnFailedConnect(true))
	if err != nil {
		return nil, fmt.Errorf("nats %s: %w", url, err)
	}
	return open(ctx, nc, opts)
}

// open wraps a connection and ensures the stream.
func open(ctx context.Context, nc *nats.Conn, opts Options) (*Log, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	l := &Log{nc: nc, js: js, stream: opts.stream(), subject: Subject(opts.stream())}
	where := nc.ConnectedUrlRedacted()
	if where == "" {
		where = "the in-process server"
	}
	replicas, maxBytes := max(opts.Replicas, 1), opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = -1 // JetStream's "no limit"
	}
	if cur, err := js.Stream(ctx, l.stream); err == nil {
		c := cur.CachedInfo().Config
		if replicas, maxBytes, err = streamLimits(c.Replicas, c.MaxBytes, replicas, maxBytes); err != nil {
			nc.Close()
			return nil, fmt.Errorf("nats stream %s at %s: %w", l.stream, where, err)
		}
	} else if !errors.Is(err, jetstream.ErrStreamNotFound) {
		nc.Close()
		return nil, fmt.Errorf("nats stream %s: %w", l.stream, err)
	}
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        l.stream,
		Description: "playback reports, deduplicated by event_id",
		Subjects:    []string{l.subject},
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      Retention,
		Storage:     jetstream.FileStorage,
		Duplicates:  DuplicateWindow,
		Replicas:    replicas,
		MaxBytes:    maxBytes,
		Discard:     jetstream.DiscardOld,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("nats stream %s at %s: %w", l.stream, where, tooFewServers(err, replicas))
	}
	return l, nil
}

// ErrReplicas marks a stream whose replica count does not match what this
// process asks for, or that the servers cannot hold.
var ErrReplicas = errors.New("replica count mismatch")

// JetStream's codes for a stream wanting more replicas than it can have.
const (
	errCodeInsufficientResources jetstream.ErrorCode = 10023
	errCodeReplicasNotSupported  jetstream.ErrorCode = 10074
)

// tooFewServers turns JetStream's refusal of a replica count into
// ErrReplicas naming the count.
func tooFewServers(err error, replicas int) error {
	var api *jetstream.APIError
	if errors.As(err, &api) && (api.ErrorCode == errCodeInsufficientResources || api.ErrorCode == errCodeReplicasNotSupported) {
		return fmt.Errorf("%w: %d replicas asked for, but the server has fewer JetStream servers in its cluster (%s)", ErrReplicas, replicas, api.Description)
	}
	return err
}

// streamLimits is what a restart applies to an existing stream: never
// less storage than it has (a restart without the flag, or with a typo,
// must not discard events), more replicas when asked, and a refusal when
// asked for fewer replicas than the stream has: processes that disagree on
// the replica count are misconfigured, and the one that asks for fewer must
// not start as though its copies were all there. Shrink a stream
// deliberately with the nats CLI. -1 bytes means no limit.
func streamLimits(haveReplicas int, haveBytes int64, wantReplicas int, wantBytes int64) (int, int64, error) {
	if wantReplicas < haveReplicas {
		return 0, 0, fmt.Errorf("%w: the stream has %d replicas, this process asks for %d", ErrReplicas, haveReplicas, wantReplicas)
	}
	if haveBytes < 0 || wantBytes < 0 {
		return wantReplicas, -1, nil
	}
	return wantReplicas, max(haveBytes, wantBytes), nil
}

// Close drains nothing and closes the connection.
func (l *Log) Close() { l.nc.Close() }

// Conn is the underlying connection (for readiness checks and writers).
func (l *Log) Conn() *nats.Conn { return l.nc }

// Stream is the stream's name.
func (l *Log) Stream() string { return l.stream }

// Append stores e and returns once the stream acknowledged it. duplicate
// reports that the stream already held this event_id (a client retry).
// Any failure to get the acknowledgement is EUNAVAILABLE: the event may or
// may not be stored, and the client's retry with the same event_id is
// safe either way.
func (l *Log) Append(ctx context.Context, e plays.Event) (duplicate bool, err error) {
	data, err := json.Marshal(e)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, AppendTimeout)
	defer cancel()
	ack, err := l.js.Publish(ctx, l.subject, data, jetstream.WithMsgID(MsgID(e.UserID, e.EventID)), jetstream.WithExpectStream(l.stream))
	if err != nil {
		return false, music.Errorf(music.EUNAVAILABLE, "event log unavailable: %v", err)
	}
	return ack.Duplicate, nil
}

// MsgID is the stream's deduplication ID of an event: a hash of the user
// and the client's event_id, so one listener's event_ids can never
// suppress another's plays (the client picks event_ids, and anyone can
// read them off a shared device). Anonymous plays share the "" user.
func MsgID(userID, eventID string) string {
	h := sha256.New()
	h.Write([]byte(userID))
	h.Write([]byte{0})
	h.Write([]byte(eventID))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Ping reports whether the log answers (for /readyz).
func (l *Log) Ping(ctx context.Context) error {
	if !l.nc.IsConnected() {
		return errors.New("nats: not connected")
	}
	_, err := l.js.Stream(ctx, l.stream)
	return err
}

// decodeEvent parses one stored message.
func decodeEvent(data []byte) (plays.Event, error) {
	var e plays.Event
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}

// Count is how many events the stream holds.
func (l *Log) Count(ctx context.Context) (uint64, error) {
	s, err := l.js.Stream(ctx, l.stream)
	if err != nil {
		return 0, err
	}
	return s.CachedInfo().State.Msgs, nil
}
