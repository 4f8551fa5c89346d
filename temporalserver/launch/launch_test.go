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
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/openmusic/music/internal/proctest"
	"time"
)

// The test binary plays three parts: the tests; a fake musicctl-temporal
// (run as ExecutableName, the way Start runs the real one), whose
// "server" is a marker file; and a parent that starts such a child and
// waits to be killed.
func TestMain(m *testing.M) {
	switch {
	case filepath.Base(os.Args[0]) == ExecutableName:
		os.Exit(fakeChild(os.Args[1:]))
	case os.Getenv("LAUNCH_TEST_PARENT") == "1":
		os.Exit(parent())
	}
	os.Exit(m.Run())
}

// fakeChild serves a pretend server: -frontend "fail" makes it fail to
// start; stopping it writes DIR/stopped.
func fakeChild(args []string) int {
	a, err := ParseArgs(args, os.Stderr)
	if err != nil {
		return 2
	}
	err = Serve(context.Background(), os.Stdin, os.Stdout, func(context.Context) (string, string, func(), error) {
		if a.Frontend == "fail" {
			return "", "", nil, errors.New("--temporal-listen fail: address already in use")
		}
		if a.Frontend == "crash" { // up, then gone without being asked
			go func() { time.Sleep(100 * time.Millisecond); os.Exit(3) }()
		}
		fmt.Fprintln(os.Stderr, "level=INFO msg=started")
		stop := func() { os.WriteFile(filepath.Join(a.Dir, "stopped"), nil, 0o644) }
		return "127.0.0.1:7999", a.UI, stop, nil
	})
	if err != nil {
		return 1
	}
	return 0
}

// parent starts a fake child, prints its pid and waits to be killed.
func parent() int {
	self, _ := os.Executable()
	p, err := Start(context.Background(), self, Args{Dir: os.Getenv("LAUNCH_TEST_DIR"), Frontend: "127.0.0.1:0"}, io.Discard)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println(p.cmd.Process.Pid)
	time.Sleep(time.Minute)
	return 0
}

func TestStartAndStop(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var logs strings.Builder
	p, err := Start(context.Background(), self, Args{Dir: dir, Frontend: "127.0.0.1:0", UI: "127.0.0.1:8999", LogFormat: "text", LogLevel: "info"}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	if p.Frontend != "127.0.0.1:7999" || p.UI != "127.0.0.1:8999" {
		t.Errorf("ready: frontend %q ui %q", p.Frontend, p.UI)
	}
	p.Stop()
	if err := p.Err(); err != nil {
		t.Errorf("child exit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stopped")); err != nil {
		t.Errorf("the server was not stopped cleanly: %v", err)
	}
	if !strings.Contains(logs.String(), "msg=started") {
		t.Errorf("child's log not passed on: %q", logs.String())
	}
}

func TestStartReportsChildError(t *testing.T) {
	self, _ := os.Executable()
	_, err := Start(context.Background(), self, Args{Dir: t.TempDir(), Frontend: "fail"}, io.Discard)
	if err == nil || err.Error() != "--temporal-listen fail: address already in use" {
		t.Fatalf("got %v, want the child's one-line error", err)
	}
}

// TestChildDiesWithKilledParent kills -9 a process that started a child
// and expects the child to end on its own, its stdin closed by the kernel.
func TestChildDiesWithKilledParent(t *testing.T) {
	self, _ := os.Executable()
	dir := t.TempDir()
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), "LAUNCH_TEST_PARENT=1", "LAUNCH_TEST_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		line <- l
	}()
	var child int
	select {
	case l := <-line:
		if child, err = strconv.Atoi(strings.TrimSpace(l)); err != nil {
			t.Fatalf("parent printed %q", l)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("parent did not start a child within 30s")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for proctest.Alive(child) {
		if time.Now().After(deadline) {
			syscall.Kill(child, syscall.SIGKILL)
			t.Fatalf("child %d still running 30s after its parent was killed", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "stopped")); err != nil {
		t.Errorf("the child did not stop its server cleanly: %v", err)
	}
}

func TestWatchSeesTheChildExit(t *testing.T) {
	self, _ := os.Executable()
	p, err := Start(context.Background(), self, Args{Dir: t.TempDir(), Frontend: "crash"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	ctx := p.Watch(context.Background())
	select {
	case <-ctx.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the child's exit did not end the context within 30s")
	}
	if cause := context.Cause(ctx); !errors.Is(cause, ErrExited) || !strings.Contains(cause.Error(), "exit status 3") {
		t.Errorf("cause %v, want ErrExited with the exit status", cause)
	}
}
