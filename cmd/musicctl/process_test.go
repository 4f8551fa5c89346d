package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// proc is a musicctl child process.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	ready  map[string]string
}

// musicctl returns a command that runs this test binary as musicctl.
func musicctl(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MUSICCTL_AS_MAIN=1")
	return cmd
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
	p := &proc{cmd: musicctl(append([]string{command}, args...)...)}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &p.stderr
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	select {
	case line, ok := <-lines:
		if !ok || !strings.HasPrefix(line, "ready ") {
			t.Fatalf("%s printed %q, stderr: %s", command, line, p.stderr.String())
		}
		p.ready = parseReady(line)
		t.Logf("%s (after %v)", line, time.Since(start).Round(time.Millisecond))
	case <-time.After(60 * time.Second):
		t.Fatalf("%s not ready after 60s; stderr: %s", command, p.stderr.String())
	}
	return p
}

// parseReady turns "ready http=A temporal=B ui=C" into a map.
func parseReady(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line)[1:] {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}

// run runs a short musicctl command and returns stdout, stderr and the
// exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := musicctl(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}
