// Package miniotest starts a real MinIO server for tests: on 127.0.0.1, a
// free port and a temp dir, with one bucket, stopped when the test ends.
//
// The binary is found through $MUSIC_MINIO_BIN, then the cache that
// `make minio` fills ($XDG_CACHE_HOME or ~/.cache, /musicctl/bin/minio),
// then $PATH. Without one the test is skipped with a message, or fails
// when MUSIC_REQUIRE_MINIO=1 (as `make test` sets it).
//
// Every wait here is bounded: a MinIO that exits, never answers or
// ignores SIGTERM fails the test within ReadyTimeout plus a few seconds,
// with the tail of its log.
package miniotest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Credentials of every test server.
const (
	AccessKey = "musictest"
	SecretKey = "musictest-secret-key"
)

// How long a start may take and how often it is retried. A free port can
// be taken by another process before MinIO binds it; MinIO then exits
// with "port is already in use" and the next attempt picks new ports.
const (
	ReadyTimeout   = 90 * time.Second
	portAttempts   = 5
	stopGrace      = 10 * time.Second
	probeTimeout   = 2 * time.Second
	probeInterval  = 100 * time.Millisecond
	logTailOnError = 800
)

// Server is a running MinIO.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Bucket   string // created at start
	dir      string
}

// Binary returns the MinIO executable to run, or an error saying where
// it looked.
func Binary() (string, error) {
	if p := os.Getenv("MUSIC_MINIO_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("MUSIC_MINIO_BIN=%s: %w", p, err)
		}
		return p, nil
	}
	var looked []string
	if cache, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(cache, "musicctl", "bin", "minio")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		looked = append(looked, p)
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	looked = append(looked, "$PATH")
	return "", fmt.Errorf("no MinIO binary (looked in $MUSIC_MINIO_BIN, %s); run `make minio`", strings.Join(looked, ", "))
}

// Start runs a MinIO server for t with the bucket "music-test" on one
// drive.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartDrives(t, 1)
}

// StartDrives is Start with the data on drives directories: MinIO runs in
// erasure-coded mode from 4 drives (each a directory here, so the code
// and its quorum checks run but a disk failure is not simulated).
func StartDrives(t testing.TB, drives int) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_MINIO") == "1" {
			t.Fatalf("MUSIC_REQUIRE_MINIO=1 but %v", err)
		}
		t.Skipf("SKIP S3 tests against MinIO: %v (set MUSIC_REQUIRE_MINIO=1 to make this a failure)", err)
	}
	s, err := startRetrying(t, launch{bin: bin, drives: drives, readyTimeout: ReadyTimeout, stopGrace: stopGrace})
	if err != nil {
		t.Fatalf("start MinIO %s: %v", bin, err)
	}
	return s
}

// launch is how to run one MinIO; tests shorten the timeouts.
type launch struct {
	bin          string
	drives       int // data directories; 0 means 1
	readyTimeout time.Duration
	stopGrace    time.Duration
}

// errPortTaken marks a start that lost the race for its port.
var errPortTaken = errors.New("port taken before MinIO bound it")

// startRetrying starts MinIO on fresh ports, retrying only when it lost
// the port race: any other failure is returned at once.
func startRetrying(t testing.TB, l launch) (*Server, error) {
	var err error
	for attempt := 1; attempt <= portAttempts; attempt++ {
		var addr, consoleAddr string
		if addr, err = freeAddr(); err != nil {
			return nil, err
		}
		if consoleAddr, err = freeAddr(); err != nil {
			return nil, err
		}
		var s *Server
		s, err = start(t, l, addr, consoleAddr)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
		t.Logf("MinIO attempt %d/%d: %v", attempt, portAttempts, err)
	}
	return nil, fmt.Errorf("gave up after %d attempts: %w", portAttempts, err)
}

// start runs MinIO on addr and waits until its bucket exists. On failure
// the process is gone when start returns.
func start(t testing.TB, l launch, addr, consoleAddr string) (*Server, error) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "minio.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := []string{"server", "--quiet", "--address", addr, "--console-address", consoleAddr, "--certs-dir", filepath.Join(dir, "certs")}
	args = append(args, driveDirs(dir, l.drives)...)
	cmd := exec.Command(l.bin, args...)
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+AccessKey, "MINIO_ROOT_PASSWORD="+SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CI_CD=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	p, err := startProcess(cmd)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", l.bin, err)
	}
	s := &Server{Endpoint: "http://" + addr, Bucket: "music-test", dir: dir}
	if err := s.waitReady(p, l.readyTimeout); err != nil {
		stopErr := p.stop(l.stopGrace)
		log, _ := os.ReadFile(logPath)
		if strings.Contains(string(log), "already in use") {
			err = fmt.Errorf("%w (%s): %v", errPortTaken, addr, err)
		}
		return nil, fmt.Errorf("%w; stop: %v; log %s: %s", err, stopErr, logPath, tail(log, logTailOnError))
	}
	t.Cleanup(func() {
		if err := p.stop(l.stopGrace); err != nil {
			t.Errorf("stop MinIO: %v", err)
		}
	})
	return s, nil
}

// driveDirs are the data directories of a server with n drives under dir.
func driveDirs(dir string, n int) []string {
	if n <= 1 {
		return []string{filepath.Join(dir, "data")}
	}
	var dirs []string
	for i := 1; i <= n; i++ {
		dirs = append(dirs, filepath.Join(dir, fmt.Sprintf("data%d", i)))
	}
	return dirs
}

// waitReady polls the health endpoint, then creates the bucket (which
// fails until the object layer is up). It returns as soon as the process
// exits, and after timeout at the latest.
func (s *Server) waitReady(p *process, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := s.Client()
	probe := &http.Client{Timeout: probeTimeout}
	var last error
	for {
		select {
		case <-p.done:
			return fmt.Errorf("minio exited before it was ready: %v", p.err)
		case <-ctx.Done():
			return fmt.Errorf("minio not ready after %s: %v", timeout, last)
		case <-time.After(probeInterval):
		}
		resp, err := probe.Get(s.Endpoint + "/minio/health/live")
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = fmt.Errorf("health: %s", resp.Status)
			continue
		}
		callCtx, callCancel := context.WithTimeout(ctx, probeTimeout)
		_, err = client.CreateBucket(callCtx, &s3.CreateBucketInput{Bucket: aws.String(s.Bucket)})
		callCancel()
		// An attempt that timed out on our side may have created the
		// bucket: the next one is then told it is ours already.
		var ours *types.BucketAlreadyOwnedByYou
		if err == nil || errors.As(err, &ours) {
			return nil
		}
		last = err
	}
}

// Client returns an S3 client for the server, with path-style addressing.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		HTTPClient:   &http.Client{Timeout: time.Minute},
	})
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
