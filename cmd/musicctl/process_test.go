package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openmusic/music/internal/proctest"
)

// Bounds of the waits on child processes: a child still running after
// them has hung, and the test fails instead of waiting for go test's
// timeout.
const (
	readyTimeout = 60 * time.Second // a server's ready line
	exitTimeout  = 30 * time.Second // exit after SIGTERM or SIGKILL
	runTimeout   = 5 * time.Minute  // a whole short command
	// pipeDelay bounds Wait once the child is gone: a grandchild that
	// holds its stdout or stderr must not keep Wait from returning.
	pipeDelay = 5 * time.Second
)

// testHTTP is the client for requests to a child's server: a server that
// stops answering fails the request instead of hanging the test.
var testHTTP = &http.Client{Timeout: 2 * time.Minute}

// lockedBuffer is a child's stderr: exec's copying goroutine writes it
// while a test may read it to report a failure.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a musicctl child process.
type proc struct {
	cmd    *exec.Cmd
	stderr lockedBuffer
	ready  map[string]string
	exited chan struct{} // closed once cmd.Wait has returned
	err    error         // cmd.Wait's result, read after exited is closed
}

// musicctl returns a command that runs this test binary as musicctl.
func musicctl(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MUSICCTL_AS_MAIN=1")
	cmd.WaitDelay = pipeDelay
	return cmd
}

// kill ends the child with SIGKILL and waits until it is gone.
func (p *proc) kill(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.wait(t)
}

// wait waits at most exitTimeout for the child to exit and returns how it
// ended; a child still running then is killed and fails the test.
func (p *proc) wait(t testing.TB) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(exitTimeout):
	}
	p.cmd.Process.Kill()
	t.Fatalf("%s still running %s after it was signalled; stderr: %s", p.cmd.Args[1], exitTimeout, p.stderr.String())
	return nil
}

// startUp runs `musicctl up` and waits for its ready line.
func startUp(t testing.TB, args ...string) *proc {
	t.Helper()
	return startServer(t, "up", args...)
}

// startServer runs a long-lived musicctl command (up, serve) and waits
// for its ready line.
func startServer(t testing.TB, command string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: musicctl(append([]string{command}, args...)...), exited: make(chan struct{})}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &p.stderr
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The first line is the ready line; the rest is drained so the child
	// never blocks on a full pipe. Wait runs after the reads, as
	// StdoutPipe requires.
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		io.Copy(io.Discard, out)
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill(t) })
	select {
	case line, ok := <-first:
		if !ok || !strings.HasPrefix(line, "ready ") {
			t.Fatalf("%s printed %q, stderr: %s", command, line, p.stderr.String())
		}
		p.ready = proctest.ParseReady(line)
		t.Logf("%s (after %v)", line, time.Since(start).Round(time.Millisecond))
	case <-time.After(readyTimeout):
		t.Fatalf("%s not ready after %s; stderr: %s", command, readyTimeout, p.stderr.String())
	}
	return p
}

// run runs a short musicctl command and returns stdout, stderr and the
// exit code.
func run(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	cmd := musicctl(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	hung := time.AfterFunc(runTimeout, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	if !hung.Stop() {
		t.Fatalf("musicctl %s still running after %s: killed; stderr: %s", strings.Join(args, " "), runTimeout, stderr.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}
