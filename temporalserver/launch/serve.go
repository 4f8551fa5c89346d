package launch

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// StartFunc starts the server and returns its addresses and how to stop it.
type StartFunc func(ctx context.Context) (frontend, ui string, stop func(), err error)

// Serve is the child's side of the protocol: it starts the server with
// start, prints the ready (or error) line on stdout, and runs until stdin
// closes or ctx ends (a signal), then stops the server. A stop that hangs
// is given up after stopTimeout, so the child never outlives its parent
// by long.
func Serve(ctx context.Context, stdin io.Reader, stdout io.Writer, start StartFunc) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		io.Copy(io.Discard, stdin) // returns when the parent's end closes
		cancel()
	}()
	frontend, ui, stop, err := start(ctx)
	if err != nil {
		fmt.Fprint(stdout, errorPrefix+strings.ReplaceAll(err.Error(), "\n", " ")+"\n")
		return err
	}
	if _, err := io.WriteString(stdout, readyLine(frontend, ui)); err != nil {
		stop()
		return err
	}
	<-ctx.Done()
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
		return nil
	case <-time.After(stopTimeout):
		return fmt.Errorf("%s: the server did not stop within %v", ExecutableName, stopTimeout)
	}
}
