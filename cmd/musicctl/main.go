// Command musicctl runs the music platform: the embedded stack (up), its
// scaled-out parts (worker, serve) and the operator and label tools.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "musicctl:", err)
		os.Exit(exitCode(err))
	}
}
