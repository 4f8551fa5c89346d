package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// Socket is one device connection as the HTTP layer provides it (a
// WebSocket in serving/).
type Socket interface {
	// Read returns the next message. After the device closed the socket
	// normally it returns an error wrapping ErrGoodbye.
	Read(ctx context.Context) ([]byte, error)
	Write(ctx context.Context, msg []byte) error
	// Close ends the connection with a close code and reason; later calls
	// do nothing.
	Close(code int, reason string)
}

// ErrGoodbye is the device closing its socket normally (1000).
var ErrGoodbye = errors.New("device closed the connection")

// Message rate of one connection: a burst, then a sustained rate.
const (
	msgBurst     = 20
	msgPerSecond = 10
)

// conn is one registered device connection.
type conn struct {
	s      *Service
	user   *music.User
	device Device
	id     string
	sock   Socket

	out    chan []byte
	closed chan struct{}
	once   sync.Once

	mu       sync.Mutex
	welcomed int64    // version of the welcome; -1 before it
	pending  [][]byte // events that came before the welcome
	versions []int64
}

// close ends the connection once.
func (c *conn) close(code int, reason string) {
	c.once.Do(func() {
		close(c.closed)
		c.sock.Close(code, reason)
	})
}

// event queues one event message: held until the welcome went out, and
// dropped when the welcome already had its version.
func (c *conn) event(version int64, msg []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.welcomed < 0 {
		if len(c.pending) >= outQueue {
			go c.close(ClosePolicy, "too slow to read events")
			return
		}
		c.pending = append(c.pending, msg)
		c.versions = append(c.versions, version)
		return
	}
	if version > c.welcomed {
		c.send(msg)
	}
}

// send queues msg without blocking; a device that lets outQueue messages
// pile up is closed.
func (c *conn) send(msg []byte) {
	select {
	case c.out <- msg:
	default:
		go c.close(ClosePolicy, "too slow to read events")
	}
}

// welcome sends the state the device starts from, then the events that
// overtook it.
func (c *conn) welcome(st *PlayerState) {
	view := View(st, c.s.Now())
	c.mu.Lock()
	defer c.mu.Unlock()
	c.send(encode(ServerMessage{Type: MsgWelcome, DeviceID: c.device.ID, HeartbeatMS: HeartbeatInterval.Milliseconds(),
		ExpiryMS: c.s.HeartbeatTimeout.Milliseconds(), State: &view}))
	c.welcomed = st.Version
	for i, msg := range c.pending {
		if c.versions[i] > st.Version {
			c.send(msg)
		}
	}
	c.pending, c.versions = nil, nil
}

// ServeDevice runs one device connection of u until it ends: the
// register handshake, then messages in and events out, with the
// heartbeat deadline, the message rate limit and close codes of
// docs/connect.md.
func (s *Service) ServeDevice(ctx context.Context, u *music.User, sock Socket) {
	c := &conn{s: s, user: u, sock: sock, id: fmt.Sprintf("c%016x", s.Rand()), out: make(chan []byte, outQueue),
		closed: make(chan struct{}), welcomed: -1}
	deadline := time.AfterFunc(s.RegisterTimeout, func() { c.close(CloseTimeout, "no register message in time") })
	defer deadline.Stop()
	stop := context.AfterFunc(ctx, func() { c.close(CloseRestart, "server restarting; reconnect") })
	defer stop()

	raw, err := sock.Read(ctx)
	if err != nil {
		c.close(CloseNormal, "")
		return
	}
	first, err := DecodeDeviceMessage(raw)
	if err == nil && first.Type != MsgRegister {
		err = music.Errorf(music.EINVALID, "the first message must be register, not %s", first.Type)
	}
	if err != nil {
		c.close(CloseBadMessage, closeReason(err))
		return
	}
	c.device = first.Device
	if err := s.attach(ctx, c); err != nil {
		c.close(CloseInternal, "player store unavailable")
		return
	}
	defer s.detach(c)
	ev, err := s.register(ctx, u, c.device, c.id)
	if err != nil {
		code := CloseInternal
		if music.ErrorCode(err) == music.EFORBIDDEN {
			code = CloseForbidden
		}
		c.close(code, closeReason(err))
		return
	}
	c.welcome(&ev.State)
	deadline.Reset(s.HeartbeatTimeout)
	// The HTTP layer cancels ctx when ServeDevice returns, and a write
	// still running under ctx would then drop the connection before the
	// close frame goes out: wait for the writer first.
	written := make(chan struct{})
	go func() {
		defer close(written)
		c.writeLoop(ctx)
	}()
	defer func() { <-written }()
	if s.Extras != nil {
		extras, stopExtras := context.WithCancel(ctx)
		defer stopExtras()
		go s.Extras(extras, u, func(msg any) {
			if b, err := json.Marshal(msg); err == nil {
				c.send(b)
			}
		})
	}

	goodbye := c.readLoop(ctx, deadline)
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = s.disconnect(cleanup, u, c.device.ID, goodbye) // best effort: the heartbeat expiry catches up otherwise
}

// writeLoop sends queued messages until the connection closes.
func (c *conn) writeLoop(ctx context.Context) {
	for {
		select {
		case <-c.closed:
			return
		case msg := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, c.s.WriteTimeout)
			err := c.sock.Write(wctx, msg)
			cancel()
			if err != nil {
				c.close(CloseInternal, "write failed")
				return
			}
		}
	}
}

// readLoop handles messages until the connection ends; it reports
// whether the device said goodbye.
func (c *conn) readLoop(ctx context.Context, deadline *time.Timer) bool {
	s := c.s
	tokens, last := float64(msgBurst), s.Now()
	lastTouch := s.Now()
	for {
		raw, err := c.sock.Read(ctx)
		if err != nil {
			c.close(CloseNormal, "")
			return errors.Is(err, ErrGoodbye)
		}
		deadline.Reset(s.HeartbeatTimeout)
		now := s.Now()
		tokens = math.Min(msgBurst, tokens+now.Sub(last).Seconds()*msgPerSecond)
		last = now
		if tokens < 1 {
			c.close(CloseRateLimited, fmt.Sprintf("over %d messages/s", msgPerSecond))
			return false
		}
		tokens--
		m, err := DecodeDeviceMessage(raw)
		if err == nil && m.Type == MsgRegister {
			err = music.Errorf(music.EINVALID, "already registered")
		}
		if err != nil {
			c.close(CloseBadMessage, closeReason(err))
			return false
		}
		if now.Sub(lastTouch) >= s.TouchEvery {
			d := c.device
			d.LastSeen = now
			if err := s.Store.PutDevice(ctx, c.user.ID, d); err == nil {
				lastTouch = now
			}
		}
		if err := c.handle(ctx, m); err != nil {
			c.mu.Lock()
			c.send(encode(ServerMessage{Type: MsgError, Code: music.ErrorCode(err), Message: music.ErrorMessage(err)}))
			c.mu.Unlock()
		}
	}
}

// handle acts on one message after register.
func (c *conn) handle(ctx context.Context, m DeviceMessage) error {
	var err error
	switch m.Type {
	case MsgPlaying:
		_, err = c.s.devicePlaying(ctx, c.user, c.device, m.TrackID, m.PositionMS)
	case MsgPaused:
		_, err = c.s.devicePaused(ctx, c.user, c.device.ID, m.PositionMS)
	case MsgEnded:
		_, err = c.s.ended(ctx, c.user, c.device.ID, m.TrackID)
	}
	return err
}

// closeReason fits an error into a close frame's 123-byte reason.
func closeReason(err error) string {
	r := music.ErrorMessage(err)
	if len(r) > 120 {
		r = strings.ToValidUTF8(r[:120], "")
	}
	return r
}
