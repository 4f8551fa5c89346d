//go:build cluster

package clustertest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// Front is the load balancer clients see: one URL, requests handed
// round-robin to the serve processes. Like a load balancer without health
// checks it does not retry: a request to a dead serve gets a 502 and the
// client retries, as a player does.
type Front struct {
	URL      string
	backends []*url.URL
	next     atomic.Uint64
	srv      *http.Server
}

// startFront listens on a free loopback port and proxies to backends
// (host:port each).
func startFront(t testing.TB, backends []string) *Front {
	t.Helper()
	f := &Front{}
	for _, b := range backends {
		f.backends = append(f.backends, &url.URL{Scheme: "http", Host: b})
	}
	transport := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		ResponseHeaderTimeout: time.Minute,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       30 * time.Second,
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(f.backends[f.next.Add(1)%uint64(len(f.backends))])
			r.SetXForwarded()
		},
		Transport:     transport,
		FlushInterval: -1, // event streams pass through at once
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "front: "+err.Error(), http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", freeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	f.URL = "http://" + ln.Addr().String()
	f.srv = &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := f.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("front: %v", err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		f.srv.Shutdown(ctx)
	})
	return f
}
