package webfetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "1.1.1.1": true, "2606:4700:4700::1111": true, "151.101.1.69": true,
		"127.0.0.1": false, "127.8.9.10": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false,
		"192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "0.1.2.3": false,
		"::": false, "::ffff:127.0.0.1": false, "::ffff:169.254.169.254": false, "fd00::1": false,
		"fe80::1": false, "ff02::1": false, "224.0.0.1": false, "255.255.255.255": false, "198.18.0.1": false,
		"64:ff9b::a9fe:a9fe": false, "2002:7f00:1::": false, "192.0.2.1": false,
	} {
		if got := Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}

// counted is a test server that counts the requests it answers.
func counted(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestPrivateAddressesRefused(t *testing.T) {
	srv, hits := counted(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") })
	c := New(Options{Timeout: 5 * time.Second})
	for _, u := range []string{
		srv.URL,
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1),
		"http://169.254.169.254/latest/meta-data/",
		"http://[::ffff:127.0.0.1]:1/",
	} {
		_, err := c.Get(context.Background(), u, Validators{}, 1<<20)
		if err == nil || music.ErrorCode(err) != music.EFORBIDDEN || !strings.Contains(err.Error(), "not fetched") {
			t.Errorf("Get(%s) = %v, want a forbidden error", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the loopback server answered %d requests", hits.Load())
	}
	// Redirects dial through the same check; with no public server here,
	// the dialler's verdict on both kinds of address is tested directly.
	if err := checkDial("127.0.0.1:80", false); err == nil {
		t.Fatal("checkDial accepted loopback")
	}
	if err := checkDial("93.184.215.14:443", false); err != nil {
		t.Fatalf("checkDial refused a public address: %v", err)
	}
}

func TestBadURLs(t *testing.T) {
	c := New(Options{AllowPrivate: true})
	for u, want := range map[string]string{
		"file:///etc/passwd":           "only http and https",
		"gopher://example.org/":        "only http and https",
		"http:///nohost":               "no host",
		"http://user:pw@example.org/x": "credentials",
		"http://exa mple.org/":         "URL",
	} {
		_, err := c.Get(context.Background(), u, Validators{}, 1<<20)
		if err == nil || !strings.Contains(err.Error(), want) || music.ErrorCode(err) != music.EINVALID {
			t.Errorf("Get(%q) = %v, want an invalid error containing %q", u, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	srv, hits := counted(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 10 Nov 2026 06:00:00 GMT")
		fmt.Fprint(w, "<rss/>")
	})
	c := New(Options{AllowPrivate: true})
	first, err := c.Get(context.Background(), srv.URL, Validators{}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(first.Body)
	first.Body.Close()
	if err != nil || string(body) != "<rss/>" || first.NotModified || first.Validators.ETag != `"v1"` {
		t.Fatalf("first fetch: %q %v %+v", body, err, first)
	}
	again, err := c.Get(context.Background(), srv.URL, first.Validators, 1<<20)
	if err != nil || !again.NotModified || again.Body != nil || again.Validators != first.Validators {
		t.Fatalf("conditional fetch: %+v, %v", again, err)
	}
	if hits.Load() != 2 {
		t.Fatalf("%d requests, want 2", hits.Load())
	}
}

func TestRedirects(t *testing.T) {
	var srv *httptest.Server
	srv, _ = counted(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/feed":
			fmt.Fprint(w, "ok")
		}
	})
	c := New(Options{AllowPrivate: true, MaxRedirects: 3})
	ctx := context.Background()
	if _, err := c.Get(ctx, srv.URL+"/loop", Validators{}, 1<<20); err == nil || !strings.Contains(err.Error(), "more than 3 redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	if _, err := c.Get(ctx, srv.URL+"/to-file", Validators{}, 1<<20); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("redirect to file: %v", err)
	}
	resp, err := c.Get(ctx, srv.URL+"/moved", Validators{}, 1<<20)
	if err != nil || resp.URL != srv.URL+"/feed" {
		t.Fatalf("moved: %+v, %v", resp, err)
	}
	resp.Body.Close()
}

func TestBodyCapAndStatus(t *testing.T) {
	srv, _ := counted(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			fmt.Fprint(w, strings.Repeat("x", 2000))
		case "/chunked":
			for i := 0; i < 20; i++ {
				fmt.Fprint(w, strings.Repeat("y", 100))
				w.(http.Flusher).Flush()
			}
		case "/exact":
			fmt.Fprint(w, strings.Repeat("z", 1000))
		case "/gone":
			http.NotFound(w, r)
		case "/busy":
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	c := New(Options{AllowPrivate: true})
	ctx := context.Background()
	if _, err := c.Get(ctx, srv.URL+"/big", Validators{}, 1000); err == nil || !strings.Contains(err.Error(), "2000 bytes is over the 1000-byte limit") {
		t.Errorf("declared length over the cap: %v", err)
	}
	resp, err := c.Get(ctx, srv.URL+"/chunked", Validators{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil || !strings.Contains(err.Error(), "body is over the 1000-byte limit") {
		t.Errorf("streamed body over the cap: %v", err)
	}
	resp.Body.Close()
	resp, err = c.Get(ctx, srv.URL+"/exact", Validators{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(resp.Body); err != nil || len(b) != 1000 {
		t.Errorf("body of exactly the cap: %d bytes, %v", len(b), err)
	}
	resp.Body.Close()
	if _, err := c.Get(ctx, srv.URL+"/gone", Validators{}, 1000); music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
	if _, err := c.Get(ctx, srv.URL+"/busy", Validators{}, 1000); music.ErrorCode(err) != music.EUNAVAILABLE || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, _ := counted(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := New(Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL, Validators{}, 1000)
	if err == nil || music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("a server that never answers: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("gave up after %v, want about 300ms", took)
	}
}
