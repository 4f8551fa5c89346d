//go:build cluster

package clustertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openmusic/music/internal/proctest"
)

// Bounds of the waits on child processes.
const (
	readyTimeout = 3 * time.Minute // a loaded 2-core machine starts Temporal slowly
	exitTimeout  = 30 * time.Second
	probeEvery   = 200 * time.Millisecond
)

// Spec says how to run one child process.
type Spec struct {
	Name string // in logs and errors: "serve-1", "nats-2", …
	Bin  string
	Args []string
	Env  []string // added to this process's environment
	// Probe answers nil once the process serves. Without one, the process
	// is ready when it prints a line starting "ready " on stdout (and has
	// failed when it prints one starting "error ").
	Probe func(ctx context.Context) error
	// HoldStdin keeps the child's stdin open: musicctl-temporal stops when
	// its stdin closes.
	HoldStdin bool
}

// Proc is a running child. Restart runs the same Spec again, so the
// process comes back on the same addresses and directories.
type Proc struct {
	Spec
	Log   string            // stdout and stderr of every run, appended
	Ready map[string]string // the ready line's key=value fields
	mu    sync.Mutex
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string   // "ready …" / "error …" lines of the current run
	done  chan struct{} // closed when the current run has exited
}

// startProc starts spec, logging to dir/NAME.log, and waits until it is
// ready; the process is stopped when the test ends.
func startProc(t testing.TB, dir string, spec Spec) *Proc {
	t.Helper()
	p := &Proc{Spec: spec, Log: filepath.Join(dir, spec.Name+".log")}
	p.launch(t)
	p.WaitReady(t)
	t.Cleanup(func() { p.Stop() })
	return p
}

// launch starts one run without waiting for it to be ready.
func (p *Proc) launch(t testing.TB) {
	t.Helper()
	logf, err := os.OpenFile(p.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(logf, "=== %s start %s\n", time.Now().UTC().Format(time.RFC3339Nano), strings.Join(p.Args, " "))
	cmd := exec.Command(p.Bin, p.Args...)
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.Stderr = logf
	lines := make(chan string, 1)
	cmd.Stdout = &lineWatcher{out: logf, lines: lines}
	cmd.WaitDelay = 5 * time.Second
	var stdin io.WriteCloser
	if p.HoldStdin {
		if stdin, err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("%s: start %s: %v", p.Name, p.Bin, err)
	}
	done := make(chan struct{})
	go func() {
		err := cmd.Wait()
		fmt.Fprintf(logf, "=== %s exit: %v\n", time.Now().UTC().Format(time.RFC3339Nano), err)
		logf.Close()
		close(done)
	}()
	p.mu.Lock()
	p.cmd, p.stdin, p.lines, p.done = cmd, stdin, lines, done
	p.mu.Unlock()
}

// WaitReady waits for the current run's ready line or probe, at most
// readyTimeout, and fails the test with the log's tail otherwise.
func (p *Proc) WaitReady(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	start := time.Now()
	if err := p.waitReady(ctx); err != nil {
		t.Fatalf("%s not ready: %v\nlog %s:\n%s", p.Name, err, p.Log, p.LogTail(3000))
	}
	t.Logf("%s ready in %v", p.Name, time.Since(start).Round(time.Millisecond))
}

func (p *Proc) waitReady(ctx context.Context) error {
	p.mu.Lock()
	lines, done := p.lines, p.done
	p.mu.Unlock()
	if p.Probe == nil {
		select {
		case line := <-lines:
			if !strings.HasPrefix(line, "ready ") {
				return fmt.Errorf("printed %q", line)
			}
			p.Ready = proctest.ParseReady(line)
			return nil
		case <-done:
			return fmt.Errorf("exited before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("no ready line after %s", readyTimeout)
		}
	}
	var last error
	for {
		probeCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		last = p.Probe(probeCtx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("exited before it was ready (last probe: %v)", last)
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s: %v", readyTimeout, last)
		case <-time.After(probeEvery):
		}
	}
}

// Kill9 ends the process with SIGKILL, as a crash would, and waits until
// it is reaped.
func (p *Proc) Kill9(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-done:
	case <-time.After(exitTimeout):
		t.Fatalf("%s (pid %d) not reaped %s after SIGKILL", p.Name, cmd.Process.Pid, exitTimeout)
	}
}

// Restart starts the process again after Kill9 and waits until it is
// ready.
func (p *Proc) Restart(t testing.TB) {
	t.Helper()
	p.launch(t)
	p.WaitReady(t)
}

// Pid is the current run's process ID.
func (p *Proc) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// Stop asks the process to exit (SIGTERM, and closing its stdin), then
// kills it after exitTimeout.
func (p *Proc) Stop() {
	p.mu.Lock()
	cmd, stdin, done := p.cmd, p.stdin, p.done
	p.mu.Unlock()
	select {
	case <-done:
		return
	default:
	}
	if stdin != nil {
		stdin.Close()
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(exitTimeout):
		cmd.Process.Kill()
		select {
		case <-done:
		case <-time.After(exitTimeout):
		}
	}
}

// LogTail is the last n bytes of the process's log.
func (p *Proc) LogTail(n int) string {
	b, _ := os.ReadFile(p.Log)
	return string(b[max(0, len(b)-n):])
}

// lineWatcher copies a child's stdout to its log and hands the first
// "ready …" or "error …" line to lines.
type lineWatcher struct {
	out   io.Writer
	lines chan string
	buf   bytes.Buffer
	sent  bool
}

func (w *lineWatcher) Write(b []byte) (int, error) {
	w.out.Write(b)
	w.buf.Write(b)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil { // an incomplete line waits for the rest
			w.buf.Reset()
			w.buf.WriteString(line)
			return len(b), nil
		}
		line = strings.TrimSpace(line)
		if !w.sent && (strings.HasPrefix(line, "ready ") || strings.HasPrefix(line, "error ")) {
			w.sent = true
			w.lines <- line
		}
	}
}
