// Package launch runs the embedded Temporal server as a child process.
// `musicctl up` starts the musicctl-temporal executable, built beside
// musicctl, with Start; that executable answers with Serve. Only it links
// the server and its ~900 packages, so no other musicctl command pays
// for their start-up.
//
// The protocol: settings as flags (Args); on the child's stdout one line,
// "ready frontend=ADDR ui=ADDR" or "error MESSAGE"; log lines on its
// stderr; and the child's stdin, which the parent holds open and never
// writes. When it closes, because the parent stopped it or died (even by
// kill -9, when the kernel closes the parent's end), the child shuts down.
package launch

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ExecutableName is the server's executable, installed beside musicctl.
const ExecutableName = "musicctl-temporal"

// Args are the child's settings.
type Args struct {
	Dir       string // SQLite database
	DB        string // postgres:// URL: persist there instead of Dir
	Frontend  string // gRPC frontend host:port; port 0 picks one
	UI        string // Web UI host:port; "" disables it
	Namespace string
	LogFormat string // text or json
	LogLevel  string
	// UIAuthFile holds USER:PASSWORD for the UI (a file, so the password is
	// never on a command line); UIWrite allows the UI's write actions.
	UIAuthFile string
	UIWrite    bool
}

// flags declares Args on fs.
func (a *Args) flags(fs *flag.FlagSet) {
	fs.StringVar(&a.Dir, "dir", "", "directory of the server's SQLite database")
	fs.StringVar(&a.DB, "db", "", "postgres://USER@HOST:PORT/DATABASE: keep the server's state in PostgreSQL (DATABASE and DATABASE_visibility, created when missing) instead of -dir; server processes sharing it form one cluster")
	fs.StringVar(&a.Frontend, "frontend", "127.0.0.1:7233", "frontend listen address")
	fs.StringVar(&a.UI, "ui", "", "Web UI listen address (empty: no UI)")
	fs.StringVar(&a.Namespace, "namespace", "default", "namespace created on first start")
	fs.StringVar(&a.LogFormat, "log-format", "text", "log format on stderr: text or json")
	fs.StringVar(&a.LogLevel, "log-level", "info", "least severe level logged")
	fs.StringVar(&a.UIAuthFile, "ui-auth-file", "", "file holding USER:PASSWORD that guards the Web UI")
	fs.BoolVar(&a.UIWrite, "ui-write", false, "let the Web UI change workflows")
}

// commandLine is a as the child's arguments.
func (a Args) commandLine() []string {
	return []string{"-dir", a.Dir, "-db", a.DB, "-frontend", a.Frontend, "-ui", a.UI, "-namespace", a.Namespace,
		"-log-format", a.LogFormat, "-log-level", a.LogLevel, "-ui-auth-file", a.UIAuthFile, "-ui-write=" + strconv.FormatBool(a.UIWrite)}
}

// ParseArgs reads the child's command line.
func ParseArgs(args []string, usage io.Writer) (Args, error) {
	var a Args
	fs := flag.NewFlagSet(ExecutableName, flag.ContinueOnError)
	fs.SetOutput(usage)
	a.flags(fs)
	if err := fs.Parse(args); err != nil {
		return a, err
	}
	if fs.NArg() > 0 {
		return a, fmt.Errorf("%s takes no arguments, got %q", ExecutableName, fs.Args())
	}
	if (a.Dir == "") == (a.DB == "") {
		return a, fmt.Errorf("%s: give one of -dir (SQLite) and -db (postgres://…)", ExecutableName)
	}
	return a, nil
}

// The child's stdout lines.
const (
	readyPrefix = "ready "
	errorPrefix = "error "
)

// readyLine is the line a started child prints.
func readyLine(frontend, ui string) string {
	return fmt.Sprintf("%sfrontend=%s ui=%s\n", readyPrefix, frontend, ui)
}

// parseReady reads frontend and ui from a ready line.
func parseReady(line string) (frontend, ui string, err error) {
	for _, f := range strings.Fields(strings.TrimPrefix(line, readyPrefix)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "frontend":
			frontend = v
		case "ui":
			ui = v
		}
	}
	if frontend == "" {
		return "", "", fmt.Errorf("%s: malformed ready line %q", ExecutableName, strings.TrimSpace(line))
	}
	return frontend, ui, nil
}
