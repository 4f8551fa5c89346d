package temporalserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"
)

// isLoopback reports whether a listen address is reachable only from
// this machine. An empty host listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkExposure refuses listen addresses other machines could reach: the
// embedded frontend has no authentication at all (anyone reaching it can
// start, read or terminate any workflow), and the Web UI only the
// password UIAuth puts in front of it.
func checkExposure(cfg Config) error {
	if !isLoopback(cfg.FrontendAddr) {
		return fmt.Errorf("--temporal-listen %s: the embedded Temporal frontend has no authentication, so it listens on loopback only (e.g. 127.0.0.1:7233); for workers on other machines run a Temporal cluster with mTLS and give --temporal-address", cfg.FrontendAddr)
	}
	if cfg.UIAddr != "" && !isLoopback(cfg.UIAddr) && cfg.UIAuth == "" {
		return fmt.Errorf("--ui-listen %s: the Temporal Web UI shows every workflow's inputs; on an address other machines reach it needs --temporal-ui-auth FILE (a USER:PASSWORD line)", cfg.UIAddr)
	}
	if cfg.UIAuth != "" {
		if u, p, ok := strings.Cut(cfg.UIAuth, ":"); !ok || u == "" || len(p) < 12 {
			return errors.New("--temporal-ui-auth: want one USER:PASSWORD line with a password of at least 12 characters")
		}
	}
	return nil
}

// basicAuthProxy serves the UI at target to callers with the USER:PASSWORD
// in auth, on addr; everyone else gets 401.
type basicAuthProxy struct {
	srv  *http.Server
	addr string
}

func startBasicAuthProxy(addr, target, auth string) (*basicAuthProxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--ui-listen %s: %v", addr, unwrapOpError(err))
	}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: target})
	want := sha256.Sum256([]byte(auth))
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, ok := r.BasicAuth()
			got := sha256.Sum256([]byte(u + ":" + p))
			if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="Temporal UI", charset="UTF-8"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
			r.Header.Del("Authorization") // the UI server has no use for it
			proxy.ServeHTTP(w, r)
		}),
	}
	go func() { _ = srv.Serve(ln) }()
	return &basicAuthProxy{srv: srv, addr: ln.Addr().String()}, nil
}

func (p *basicAuthProxy) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = p.srv.Shutdown(ctx)
}
