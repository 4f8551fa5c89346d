package temporalserver

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

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
	uiAuth, err := readUIAuth(a.UIAuthFile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var startErr error
	err = launch.Serve(ctx, stdin, stdout, func(ctx context.Context) (string, string, func(), error) {
		s, err := Start(ctx, Config{Dir: a.Dir, DB: a.DB, FrontendAddr: a.Frontend, UIAddr: a.UI, UIAuth: uiAuth, UIWriteActions: a.UIWrite, Namespace: a.Namespace, Logger: log})
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

// readUIAuth reads the USER:PASSWORD line of the UI's password file; no
// file means no password.
func readUIAuth(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("-ui-auth-file: %v", err)
	}
	return strings.TrimSpace(string(b)), nil
}
