package webfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	music "github.com/openmusic/music"
)

// Options configure a Client. Zero values take the defaults.
type Options struct {
	// AllowPrivate lets the client reach loopback and private addresses:
	// for tests and for a feed server on the operator's own network.
	AllowPrivate bool
	Timeout      time.Duration // a whole request, body included; default 60 s
	MaxRedirects int           // default 5
	UserAgent    string        // default "musicctl"
}

// Client fetches outsiders' URLs. It is safe for concurrent use.
type Client struct {
	opts Options
	http *http.Client
}

// New returns a Client.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = 5
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "musicctl"
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		return checkDial(address, opts.AllowPrivate)
	}}
	transport := &http.Transport{
		Proxy:                 nil, // an environment proxy would dial for us, unchecked
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	c := &Client{opts: opts}
	c.http = &http.Client{Transport: transport, Timeout: opts.Timeout, CheckRedirect: c.checkRedirect}
	return c
}

// BlockedError is a dial refused because the address is not public.
type BlockedError struct{ Addr netip.Addr }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("address %s is loopback, private, link-local or reserved: not fetched", e.Addr)
}

// checkDial is the dialler's last word, on the address DNS gave.
func checkDial(address string, allowPrivate bool) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %q: %w", address, err)
	}
	if !allowPrivate && !Public(ap.Addr()) {
		return &BlockedError{Addr: ap.Addr().Unmap()}
	}
	return nil
}

// checkURL accepts absolute http and https URLs without credentials.
func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return music.Errorf(music.EINVALID, "URL %q: only http and https are fetched", u.Redacted())
	}
	if u.Host == "" {
		return music.Errorf(music.EINVALID, "URL %q has no host", u.Redacted())
	}
	if u.User != nil {
		return music.Errorf(music.EINVALID, "URL %q carries credentials", u.Redacted())
	}
	return nil
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		return music.Errorf(music.EINVALID, "more than %d redirects from %s (a loop?)", c.opts.MaxRedirects, via[0].URL.Redacted())
	}
	return checkURL(req.URL)
}

// explain turns a transport error into a domain error that says what
// happened to which URL.
func explain(rawURL string, err error) error {
	var blocked *BlockedError
	var derr *music.Error
	switch {
	case errors.As(err, &blocked):
		return music.Errorf(music.EFORBIDDEN, "fetch %s: %v", rawURL, blocked)
	case errors.As(err, &derr):
		return derr
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return music.Errorf(music.EUNAVAILABLE, "fetch %s: %v", rawURL, err)
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return music.Errorf(music.EUNAVAILABLE, "fetch %s: timed out", rawURL)
	}
	return music.Errorf(music.EUNAVAILABLE, "fetch %s: %v", rawURL, err)
}

// drain closes a body after reading a little of it, so the connection can
// be reused.
func drain(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 4<<10)
	_ = body.Close()
}
