// Package pgtest runs a PostgreSQL server that one test owns: its own
// data directory (initdb), a free TCP port on 127.0.0.1, trust auth, and
// Stop/Start so the test can take the database away and bring it back
// (chaos tests). It uses the machine's PostgreSQL binaries (Debian's
// postgresql package, /usr/lib/postgresql/VERSION/bin; MUSIC_PG_BIN
// overrides). initdb refuses to run as root, so as root the server runs
// as the postgres user the package creates.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// Cluster is one test-owned PostgreSQL server.
type Cluster struct {
	bin, dir, log string
	port          int
	runAs         *user.User // nil: the current user
	settings      []string   // extra NAME=VALUE server settings
}

// Start initialises and starts a cluster; it is stopped and removed when
// the test ends. settings are extra server settings, NAME=VALUE each
// (e.g. "max_connections=300"). A machine without PostgreSQL binaries
// fails the test (`make test` installs them).
func Start(t *testing.T, settings ...string) *Cluster {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{bin: bin, settings: settings}
	if os.Geteuid() == 0 {
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			t.Fatalf("running as root, PostgreSQL must run as the postgres user (Debian package postgresql creates it): %v", err)
		}
	}
	root, err := os.MkdirTemp("", "musicpg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	// The server's user must reach its directory through the temp dir.
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	c.dir, c.log = filepath.Join(root, "data"), filepath.Join(root, "postgres.log")
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if c.runAs != nil {
		uid, _ := strconv.Atoi(c.runAs.Uid)
		gid, _ := strconv.Atoi(c.runAs.Gid)
		for _, p := range []string{root, c.dir} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.port, err = freePort(); err != nil {
		t.Fatal(err)
	}
	if out, err := c.run("initdb", "-D", c.dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.Start(t)
	t.Cleanup(func() { c.run("pg_ctl", "stop", "-D", c.dir, "-m", "immediate", "-w", "-t", "20") })
	return c
}

// Start starts the (stopped) server and waits until it accepts
// connections.
func (c *Cluster) Start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off", c.port)
	for _, kv := range c.settings {
		opts += " -c " + kv
	}
	if out, err := c.run("pg_ctl", "start", "-D", c.dir, "-l", c.log, "-w", "-t", "60", "-o", opts); err != nil {
		log, _ := os.ReadFile(c.log)
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server the way an operator or a crash would make it
// vanish for clients: connections are cut, new ones are refused.
func (c *Cluster) Stop(t *testing.T) {
	t.Helper()
	if out, err := c.run("pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "60"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// DSN is the URL of database db on the cluster.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// CreateDB creates database name and returns its DSN.
func (c *Cluster) CreateDB(t *testing.T, name string) string {
	t.Helper()
	db, err := sql.Open("pgx", c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	return c.DSN(name)
}

// run runs one of the PostgreSQL programs, as the postgres user when we
// are root; output is returned for error messages.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.runAs != nil {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		return out.Bytes(), fmt.Errorf("%s did not finish in 2 minutes", prog)
	}
}

// binDir finds the newest installed PostgreSQL's programs.
func binDir() (string, error) {
	if d := os.Getenv("MUSIC_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL binaries under /usr/lib/postgresql/*/bin (install Debian package postgresql, or set MUSIC_PG_BIN)")
}

// freePort asks the kernel for a port that is free now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
