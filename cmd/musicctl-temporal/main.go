// Command musicctl-temporal is the embedded Temporal server and Web UI
// that `musicctl up` starts beside itself and stops with itself. It is a
// separate executable so that only it links the server; see package
// temporalserver/launch for how the two talk.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/openmusic/music/temporalserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := temporalserver.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
