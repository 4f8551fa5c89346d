// Package miniotest starts a real MinIO server for tests: on 127.0.0.1, a
// free port and a temp dir, with one bucket, stopped when the test ends.
//
// The binary is found through $MUSIC_MINIO_BIN, then the cache that
// `make minio` fills ($XDG_CACHE_HOME or ~/.cache, /musicctl/bin/minio),
// then $PATH. Without one the test is skipped with a message, or fails
// when MUSIC_REQUIRE_MINIO=1 (as `make test` sets it).
package miniotest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Credentials of every test server.
const (
	AccessKey = "musictest"
	SecretKey = "musictest-secret-key"
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

// Start runs a MinIO server for t with the bucket "music-test".
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_MINIO") == "1" {
			t.Fatalf("MUSIC_REQUIRE_MINIO=1 but %v", err)
		}
		t.Skipf("SKIP S3 tests against MinIO: %v (set MUSIC_REQUIRE_MINIO=1 to make this a failure)", err)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // a free port can be taken before MinIO binds it
		s, err := start(t, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("start MinIO: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string) (*Server, error) {
	dir := t.TempDir()
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	consoleAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "minio.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", consoleAddr,
		"--certs-dir", filepath.Join(dir, "certs"), filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+AccessKey, "MINIO_ROOT_PASSWORD="+SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CI_CD=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	s := &Server{Endpoint: "http://" + addr, Bucket: "music-test", dir: dir}
	if err := s.waitReady(exited); err != nil {
		stop()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("%w; log: %s", err, tail(log, 800))
	}
	t.Cleanup(stop)
	return s, nil
}

// waitReady polls the health endpoint, then creates the bucket (which
// fails until the object layer is up).
func (s *Server) waitReady(exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client := s.Client()
	var last error
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("minio exited early: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("minio not ready after 90s: %v", last)
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.Endpoint + "/minio/health/live")
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = fmt.Errorf("health: %s", resp.Status)
			continue
		}
		_, err = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.Bucket)})
		if err == nil {
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
