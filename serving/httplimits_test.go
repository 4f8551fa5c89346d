package serving

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveLimited runs s on a loopback port with limits and returns its
// address; the server stops with the test.
func serveLimited(t *testing.T, s *Server, l HTTPLimits) string {
	t.Helper()
	s.SetHTTPLimits(l)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10s")
		}
	})
	return ln.Addr().String()
}

// echoBody is a route that reads its whole body.
func echoBody(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "%d", n)
}

// TestSecuritySlowBody: a client that trickles its body is cut off at
// ReadTimeout, not served for as long as it cares to keep the
// connection.
func TestSecuritySlowBody(t *testing.T) {
	s := New()
	s.Handle("POST /x", http.HandlerFunc(echoBody))
	addr := serveLimited(t, s, HTTPLimits{ReadTimeout: 300 * time.Millisecond})

	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	fmt.Fprintf(c, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	cut := make(chan time.Duration, 1)
	go func() {
		c.SetReadDeadline(time.Now().Add(6 * time.Second))
		io.Copy(io.Discard, c) // ends when the server answers and closes, or cuts
		cut <- time.Since(start)
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case d := <-cut:
			if d > 2*time.Second {
				t.Errorf("slow body: connection ended after %s, want about the 300ms ReadTimeout", d)
			}
			return
		case <-tick.C:
			c.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := c.Write([]byte("a")); err != nil {
				continue // cut: wait for the reader to see it
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("slow body: still accepted after %s of trickling", time.Since(start).Round(time.Millisecond))
			}
		}
	}
}

// TestSecurityHeaderBytes: headers over MaxHeaderBytes are refused (431)
// before any handler runs.
func TestSecurityHeaderBytes(t *testing.T) {
	s := New()
	s.Handle("GET /x", http.HandlerFunc(echoBody))
	addr := serveLimited(t, s, HTTPLimits{MaxHeaderBytes: 8 << 10})
	req, _ := http.NewRequest("GET", "http://"+addr+"/x", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: status %d, want 431", res.StatusCode)
	}
}

// TestSecurityConnectionCap: with MaxConns connections open, the next
// client is not served until one of them closes.
func TestSecurityConnectionCap(t *testing.T) {
	s := New()
	s.Handle("GET /x", http.HandlerFunc(echoBody))
	addr := serveLimited(t, s, HTTPLimits{MaxConns: 2})
	var held []net.Conn
	for range 2 {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// A finished request proves the connection holds a slot.
		fmt.Fprintf(c, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	client := &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	if res, err := client.Get("http://" + addr + "/x"); err == nil {
		res.Body.Close()
		t.Fatalf("third connection over a cap of 2 was served (status %d)", res.StatusCode)
	}
	held[0].Close()
	client.Timeout = 5 * time.Second
	res, err := client.Get("http://" + addr + "/x")
	if err != nil {
		t.Fatalf("after one connection closed: %v", err)
	}
	res.Body.Close()
}

// TestStreamOutlivesReadTimeout: a streaming route keeps sending past
// ReadTimeout (its read deadline is cleared), while it would cancel an
// ordinary route's request.
func TestStreamOutlivesReadTimeout(t *testing.T) {
	s := New()
	s.handleKind(routeStream, "GET /stream", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 8 {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			fmt.Fprintf(w, "%d", i)
			http.NewResponseController(w).Flush()
		}
	}))
	addr := serveLimited(t, s, HTTPLimits{ReadTimeout: 200 * time.Millisecond})
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if string(b) != "01234567" {
		t.Errorf("stream got %q, want all 8 events over 800ms", b)
	}
}
