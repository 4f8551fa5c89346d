package launch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// readyTimeout bounds the child's start: schema set-up on a new data dir,
// the services joining, the namespace, the UI.
const readyTimeout = 2 * time.Minute

// stopTimeout is how long Stop waits for a clean shutdown before it kills.
const stopTimeout = 20 * time.Second

// ErrExited is the cause of the context Watch returns when the child
// exits on its own.
var ErrExited = errors.New(ExecutableName + " exited")

// Process is a running musicctl-temporal.
type Process struct {
	Frontend string // host:port SDK clients dial
	UI       string // Web UI host:port, "" without one

	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed when the child has exited
	err   error         // its exit, once done
}

// Executable finds musicctl-temporal: path when given, else beside the
// running executable (how `make` and an install lay them out), else on
// PATH.
func Executable(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	var tried []string
	if self, err := os.Executable(); err == nil {
		if self, err = filepath.EvalSymlinks(self); err == nil {
			beside := filepath.Join(filepath.Dir(self), ExecutableName)
			if fi, err := os.Stat(beside); err == nil && !fi.IsDir() {
				return beside, nil
			}
			tried = append(tried, beside)
		}
	}
	if p, err := exec.LookPath(ExecutableName); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found (looked at %s and on PATH); `make build` builds it beside musicctl",
		ExecutableName, strings.Join(tried, ", "))
}

// Start runs exe with a, sends its log lines to logs, and returns once it
// is ready. An error the child reports is returned as its one line.
func Start(ctx context.Context, exe string, a Args, logs io.Writer) (*Process, error) {
	cmd := exec.Command(exe, a.commandLine()...)
	cmd.Args[0] = ExecutableName // what the child is, whatever the file is called
	cmd.Stderr = logs
	// Its own process group: a terminal's Ctrl-C reaches only the parent,
	// which then stops the child in order (after its workers).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", exe, err)
	}
	p := &Process{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout) // the child writes nothing more; see its exit
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := p.awaitReady(ctx, lines); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// awaitReady reads the child's first line, bounded by ctx and readyTimeout.
func (p *Process) awaitReady(ctx context.Context, lines <-chan string) error {
	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case line := <-lines:
		switch {
		case strings.HasPrefix(line, readyPrefix):
			var err error
			p.Frontend, p.UI, err = parseReady(line)
			return err
		case strings.HasPrefix(line, errorPrefix):
			return errors.New(strings.TrimSpace(strings.TrimPrefix(line, errorPrefix)))
		}
		<-p.done
		return fmt.Errorf("%s exited before it was ready (%v)", ExecutableName, p.err)
	case <-timer.C:
		return fmt.Errorf("%s: not ready after %v", ExecutableName, readyTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the child has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is how the child exited, once Done is closed.
func (p *Process) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// Watch returns a context that ends, with cause ErrExited, when the child
// exits on its own, so that everything built on it stops too.
func (p *Process) Watch(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		select {
		case <-p.done:
			cancel(fmt.Errorf("%w: %v", ErrExited, p.err))
		case <-ctx.Done():
		}
	}()
	return ctx
}

// Stop asks the child to shut down by closing its stdin and waits for
// it; after stopTimeout it is killed.
func (p *Process) Stop() {
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		p.cmd.Process.Kill()
		<-p.done
	}
}
