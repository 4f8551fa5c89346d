package serving

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"
	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// Connect tickets: browsers cannot put a bearer token on a WebSocket, so
// they trade it for a one-time ticket first.
const (
	ticketPrefix = "ct_"
	ticketTTL    = 30 * time.Second
)

// HandleConnect routes the device channel (GET /api/v1/me/connect, a
// WebSocket; bearer token or ?ticket=) and POST /api/v1/me/connect/ticket.
// The protocol is docs/connect.md. Device connections close with 1012
// when the server shuts down.
func (s *Server) HandleConnect(users music.UserStore, svc *connect.Service) {
	s.onShutdown = append(s.onShutdown, svc.Shutdown)
	if svc.Extras == nil {
		// Read when a device connects, so HandleSocial may come later.
		svc.Extras = func(ctx context.Context, u *music.User, send func(msg any)) {
			if f := s.deviceExtras; f != nil {
				f(ctx, u, send)
			}
		}
	}
	s.Handle("POST /api/v1/me/connect/ticket", s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		u := UserFrom(r.Context())
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			writeError(w, fmt.Errorf("ticket: %w", err))
			return
		}
		ticket := ticketPrefix + base64.RawURLEncoding.EncodeToString(b)
		if err := svc.Store.PutTicket(r.Context(), music.TokenHash(ticket), *u, ticketTTL); err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"ticket": ticket, "expires_in_ms": ticketTTL.Milliseconds()})
	}))
	serve := func(w http.ResponseWriter, r *http.Request, u *music.User) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return // Accept has answered the failed handshake
		}
		c.SetReadLimit(connect.MaxMessageBytes)
		svc.ServeDevice(r.Context(), u, &wsSocket{c: c})
	}
	bearer := s.authed(users, listeners, func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, UserFrom(r.Context()))
	})
	s.Handle("GET /api/v1/me/connect", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ticket := r.URL.Query().Get("ticket")
		if ticket == "" {
			bearer.ServeHTTP(w, r)
			return
		}
		// A ticket is single-use and was rate-limited when issued.
		u, err := svc.Store.TakeTicket(r.Context(), music.TokenHash(ticket))
		if err != nil {
			writeError(w, err)
			return
		}
		serve(w, r, u)
	}))
}

// wsSocket adapts a WebSocket to connect.Socket.
type wsSocket struct{ c *websocket.Conn }

func (s *wsSocket) Read(ctx context.Context) ([]byte, error) {
	_, b, err := s.c.Read(ctx)
	if err != nil {
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusGoingAway:
			return nil, fmt.Errorf("%w: %v", connect.ErrGoodbye, err)
		}
		return nil, err
	}
	return b, nil
}

func (s *wsSocket) Write(ctx context.Context, msg []byte) error {
	return s.c.Write(ctx, websocket.MessageText, msg)
}

// Close runs the close handshake in the background: it waits for the
// peer's answer, and callers (event delivery) must not.
func (s *wsSocket) Close(code int, reason string) {
	go s.c.Close(websocket.StatusCode(code), reason)
}
