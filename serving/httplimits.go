package serving

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTPLimits bound what one client can hold of the server: time to send
// a request, time to take an answer, header size and connections. Zero
// fields take the DefaultHTTPLimits value.
type HTTPLimits struct {
	// ReadHeaderTimeout bounds the request line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the whole request, body included: a client
	// trickling its body is cut off here. Identify uploads get
	// UploadTimeout instead.
	ReadTimeout time.Duration
	// UploadTimeout bounds the body of an upload route (identify).
	UploadTimeout time.Duration
	// WriteTimeout bounds writing the answer of an ordinary route.
	WriteTimeout time.Duration
	// StreamTimeout bounds the answer of a streaming route: audio and
	// server-sent events. Event clients reconnect with Last-Event-ID.
	StreamTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request headers.
	MaxHeaderBytes int
	// MaxConns is how many connections are served at once; more wait in
	// the listen backlog.
	MaxConns int
}

// DefaultHTTPLimits are sized for players on slow mobile links: a 16 MB
// identify upload at 1 Mbit/s fits UploadTimeout, a whole track at 320
// kbit/s fits StreamTimeout many times over.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		UploadTimeout:     3 * time.Minute,
		WriteTimeout:      30 * time.Second,
		StreamTimeout:     time.Hour,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		MaxConns:          10000,
	}
}

// withDefaults fills zero fields from DefaultHTTPLimits.
func (l HTTPLimits) withDefaults() HTTPLimits {
	d := DefaultHTTPLimits()
	pick := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	pick(&l.ReadTimeout, d.ReadTimeout)
	pick(&l.UploadTimeout, d.UploadTimeout)
	pick(&l.WriteTimeout, d.WriteTimeout)
	pick(&l.StreamTimeout, d.StreamTimeout)
	pick(&l.IdleTimeout, d.IdleTimeout)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if l.MaxConns <= 0 {
		l.MaxConns = d.MaxConns
	}
	return l
}

// SetHTTPLimits replaces the server's limits; call it before Serve.
func (s *Server) SetHTTPLimits(l HTTPLimits) { s.httpLimits = l.withDefaults() }

// routeKind says which deadlines a route gets.
type routeKind int

const (
	routePlain  routeKind = iota // WriteTimeout
	routeStream                  // audio, SSE: StreamTimeout, no read deadline once started
	routeUpload                  // identify: UploadTimeout to read the body
)

// applyDeadlines sets this request's connection deadlines by route kind.
// The server-wide ReadTimeout has already started when the handler runs;
// streams clear it (a read deadline that passes mid-stream would cancel
// the request), uploads extend it.
func (s *Server) applyDeadlines(w http.ResponseWriter, kind routeKind) {
	rc := http.NewResponseController(w)
	now := time.Now()
	l := s.httpLimits
	switch kind {
	case routeStream:
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(now.Add(l.StreamTimeout))
	case routeUpload:
		_ = rc.SetReadDeadline(now.Add(l.UploadTimeout))
		_ = rc.SetWriteDeadline(now.Add(l.UploadTimeout + l.WriteTimeout))
	default:
		_ = rc.SetWriteDeadline(now.Add(l.WriteTimeout))
	}
	// Errors mean the writer is not a connection (a test recorder): no
	// deadline to set.
}

// limitListener serves at most n connections at once; Accept waits for
// a slot, so further clients queue in the kernel's backlog.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func newLimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
}

// slotConn gives its slot back once, on the first Close.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
