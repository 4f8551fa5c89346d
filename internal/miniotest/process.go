package miniotest

import (
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// process is a started child with one goroutine reaping it. done is
// closed, not sent on, so any number of waiters see the exit: the
// readiness loop and stop both wait on it.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // cmd.Wait's result; read only after done is closed
}

func startProcess(cmd *exec.Cmd) (*process, error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process to exit, kills it after grace, and gives up
// with an error if even SIGKILL is not reaped within grace.
func (p *process) stop(grace time.Duration) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
	}
	p.cmd.Process.Kill()
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		return fmt.Errorf("pid %d not reaped %s after SIGKILL", p.cmd.Process.Pid, grace)
	}
}
