// Package testwait bounds a test's waits on channels: a value that never
// comes fails the test with what it waited for, instead of hanging until
// go test's timeout ends the whole package.
package testwait

import (
	"sync"
	"testing"
	"time"
)

// Recv returns the next value from ch, or the zero value once ch is
// closed. If neither happens within d it fails t, naming what.
func Recv[T any](t testing.TB, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("%s: nothing after %s", what, d)
		var zero T
		return zero
	}
}

// Group waits for wg, at most d; then it fails t, naming what.
func Group(t testing.TB, wg *sync.WaitGroup, d time.Duration, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	Recv(t, done, d, what)
}
