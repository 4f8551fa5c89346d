package connect

import (
	"context"
	"fmt"
)

// Close codes of the device channel (docs/connect.md).
const (
	CloseNormal      = 1000
	ClosePolicy      = 1008 // too slow to read its events
	CloseTooBig      = 1009
	CloseInternal    = 1011
	CloseRestart     = 1012
	CloseBadMessage  = 4400
	CloseForbidden   = 4403
	CloseTimeout     = 4408
	CloseReplaced    = 4409
	CloseRateLimited = 4429
)

// outQueue bounds the messages waiting for one slow device; beyond it
// the device is closed (1008) and gets the whole state when it reconnects.
const outQueue = 64

// userConns is the user's device connections on this process and the
// store subscription that feeds them.
type userConns struct {
	conns  map[*conn]struct{}
	ready  chan struct{} // closed once the subscription is made (or failed)
	cancel func()
	err    error
}

// attach adds c to the hub, subscribing to its user's events first when
// it is the user's first connection here. The subscription is made
// outside the hub's lock: a store may deliver events while subscribing.
func (s *Service) attach(ctx context.Context, c *conn) error {
	s.hubMu.Lock()
	if s.hub == nil {
		s.hub = map[string]*userConns{}
	}
	userID := c.user.ID
	uc, ok := s.hub[userID]
	if !ok {
		uc = &userConns{conns: map[*conn]struct{}{}, ready: make(chan struct{})}
		s.hub[userID] = uc
	}
	uc.conns[c] = struct{}{}
	s.hubMu.Unlock()
	if !ok {
		cancel, err := s.Store.Subscribe(ctx, userID, func(ev PlayerEvent) { s.deliver(userID, ev) })
		s.hubMu.Lock()
		uc.cancel, uc.err = cancel, err
		s.hubMu.Unlock()
		close(uc.ready)
	}
	<-uc.ready
	s.hubMu.Lock()
	err := uc.err
	s.hubMu.Unlock()
	if err != nil {
		s.detach(c)
		return fmt.Errorf("subscribe to %s: %w", userID, err)
	}
	return nil
}

// detach removes c, and the subscription with the user's last connection.
func (s *Service) detach(c *conn) {
	s.hubMu.Lock()
	uc, ok := s.hub[c.user.ID]
	var cancel func()
	if ok {
		delete(uc.conns, c)
		if len(uc.conns) == 0 {
			cancel = uc.cancel
			delete(s.hub, c.user.ID)
		}
	}
	s.hubMu.Unlock()
	if cancel != nil { // outside the lock: a store may be delivering
		cancel()
	}
}

// deliver hands one event to every connection of the user here: the
// same bytes to all, except the devices the event has a command for.
func (s *Service) deliver(userID string, ev PlayerEvent) {
	s.hubMu.Lock()
	uc := s.hub[userID]
	var conns []*conn
	if uc != nil {
		conns = make([]*conn, 0, len(uc.conns))
		for c := range uc.conns {
			conns = append(conns, c)
		}
	}
	s.hubMu.Unlock()
	if len(conns) == 0 {
		return
	}
	view := eventView(&ev.State)
	plain := encode(ServerMessage{Type: MsgEvent, Version: ev.State.Version, State: &view})
	for _, c := range conns {
		if r := ev.Registered; r != nil && r.DeviceID == c.device.ID && r.Conn != c.id {
			c.close(CloseReplaced, "this device connected again elsewhere")
			continue
		}
		msg := plain
		if cmd, ok := ev.Commands[c.device.ID]; ok {
			msg = encode(ServerMessage{Type: MsgEvent, Version: ev.State.Version, State: &view, Command: &cmd})
		}
		c.event(ev.State.Version, msg)
	}
}

// Connections counts the device connections on this process.
func (s *Service) Connections() int {
	s.hubMu.Lock()
	defer s.hubMu.Unlock()
	n := 0
	for _, uc := range s.hub {
		n += len(uc.conns)
	}
	return n
}

// Shutdown closes every device connection on this process with 1012, so
// the devices reconnect to another process.
func (s *Service) Shutdown() {
	s.hubMu.Lock()
	var all []*conn
	for _, uc := range s.hub {
		for c := range uc.conns {
			all = append(all, c)
		}
	}
	s.hubMu.Unlock()
	for _, c := range all {
		c.close(CloseRestart, "server restarting; reconnect")
	}
}
