// Package httprun runs an http.Server on a listener until a context ends,
// then shuts it down gracefully: the one way every listening part of a
// process stops.
package httprun

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long in-flight requests get once ctx has ended.
const ShutdownGrace = 5 * time.Second

// Serve answers on ln with hs until ctx ends or serving fails; what names
// the server in the error.
func Serve(ctx context.Context, hs *http.Server, ln net.Listener, what string) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("%s: %w", what, err)
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
		defer cancel()
		err := hs.Shutdown(shutdownCtx)
		if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
		return err
	}
}
