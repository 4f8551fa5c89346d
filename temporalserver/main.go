package temporalserver

import (
	"context"
	"fmt"
	"io"

	"github.com/openmusic/music/logs"
	"github.com/openmusic/music/temporalserver/launch"
)

// Main is the musicctl-temporal executable: the server and its Web UI,
// run for `musicctl up` through the launch protocol. It returns the exit
// status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, err := launch.ParseArgs(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	level, err := logs.ParseLevel(a.LogLevel)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log, err := logs.New(a.LogFormat, level, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var startErr error
	err = launch.Serve(ctx, stdin, stdout, func(ctx context.Context) (string, string, func(), error) {
		s, err := Start(ctx, Config{Dir: a.Dir, FrontendAddr: a.Frontend, UIAddr: a.UI, Namespace: a.Namespace, Logger: log})
		if err != nil {
			startErr = err // the parent reports it, from the error line
			return "", "", nil, err
		}
		return s.FrontendAddr(), s.UIAddr(), s.Stop, nil
	})
	if err != nil && startErr == nil {
		log.Error("temporal server", "err", err)
	}
	if err != nil {
		return 1
	}
	return 0
}
