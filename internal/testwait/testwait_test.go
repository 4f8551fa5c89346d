package testwait

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRecvReturnsTheValue(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 7
	if got := Recv(t, ch, time.Second, "seven"); got != 7 {
		t.Fatalf("Recv = %d, want 7", got)
	}
	done := make(chan struct{})
	close(done)
	Recv(t, done, time.Second, "a closed channel")
}

// recorder is a testing.TB that keeps the failure instead of stopping
// the test, so the timeout path can be checked.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestRecvFailsAfterTheBound(t *testing.T) {
	r := &recorder{TB: t}
	never := make(chan string)
	start := time.Now()
	if got := Recv(r, never, 50*time.Millisecond, "the ready line"); got != "" {
		t.Fatalf("Recv = %q on timeout, want the zero value", got)
	}
	if !strings.Contains(r.failed, "the ready line") {
		t.Fatalf("failure %q does not name what was awaited", r.failed)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("gave up after %s, before the bound", waited)
	}
}

func TestGroup(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go wg.Done()
	Group(t, &wg, time.Second, "one goroutine")

	r := &recorder{TB: t}
	wg.Add(1) // never done
	Group(r, &wg, 50*time.Millisecond, "the stuck worker")
	if !strings.Contains(r.failed, "the stuck worker") {
		t.Fatalf("failure %q does not name what was awaited", r.failed)
	}
	wg.Done()
}
