package miniotest

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestStartServesTheBucket(t *testing.T) {
	srv := Start(t)
	c := srv.Client()
	ctx := context.Background()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatalf("put into the test bucket: %v", err)
	}
	if !strings.HasPrefix(srv.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("endpoint %s is not loopback", srv.Endpoint)
	}
}

// TestStartDrivesErasureCodes: with 4 drives an object is spread over
// all of them (each drive directory holds a part of it).
func TestStartDrivesErasureCodes(t *testing.T) {
	srv := StartDrives(t, 4)
	ctx := context.Background()
	if _, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(srv.Bucket), Key: aws.String("spread"),
		Body: strings.NewReader(strings.Repeat("v", 1<<20))}); err != nil {
		t.Fatalf("put: %v", err)
	}
	for _, d := range driveDirs(srv.dir, 4) {
		if _, err := os.Stat(filepath.Join(d, srv.Bucket, "spread", "xl.meta")); err != nil {
			t.Errorf("drive %s holds no part of the object: %v", d, err)
		}
	}
}

func TestBinaryFromEnv(t *testing.T) {
	t.Setenv("MUSIC_MINIO_BIN", "/nonexistent/minio")
	_, err := Binary()
	if err == nil || !strings.Contains(err.Error(), "MUSIC_MINIO_BIN=/nonexistent/minio") {
		t.Fatalf("Binary() = %v, want an error naming the variable", err)
	}
	self, _ := os.Executable()
	t.Setenv("MUSIC_MINIO_BIN", self)
	if got, err := Binary(); err != nil || got != self {
		t.Fatalf("Binary() = %q, %v; want %q", got, err, self)
	}
}

// childTimeout bounds every child test process: a child still running
// then has hung, which is the failure these tests exist to catch.
const childTimeout = 2 * time.Minute

// runHelper runs TestHelperStart in a child process with env.
func runHelper(t *testing.T, env []string) (string, error) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "-test.run=^TestHelperStart$", "-test.v")
	cmd.Env = append([]string{"MINIOTEST_HELPER=1"}, env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("Start did not return within %s (hung); output:\n%s", childTimeout, out)
	}
	return string(out), err
}

// TestMissingBinary: with no MinIO to be found, Start must skip, or fail
// when MUSIC_REQUIRE_MINIO=1.
func TestMissingBinary(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		require string
		fail    bool
		want    string
	}{
		{"", false, "SKIP S3 tests against MinIO"},
		{"1", true, "MUSIC_REQUIRE_MINIO=1 but no MinIO binary"},
	} {
		out, err := runHelper(t, []string{"HOME=" + empty, "XDG_CACHE_HOME=" + empty, "PATH=" + empty, "MUSIC_REQUIRE_MINIO=" + tc.require})
		if (err != nil) != tc.fail || !strings.Contains(out, tc.want) {
			t.Errorf("MUSIC_REQUIRE_MINIO=%q: err %v, output:\n%s\nwant failure=%v and %q", tc.require, err, out, tc.fail, tc.want)
		}
	}
}

// fakeMinIO writes an executable script standing in for MinIO. Each run
// appends a line to the returned counter file before the script body.
func fakeMinIO(t *testing.T, body string) (bin, runs string) {
	t.Helper()
	dir := t.TempDir()
	bin, runs = filepath.Join(dir, "minio"), filepath.Join(dir, "runs")
	script := "#!/bin/sh\necho run >> " + runs + "\n" + body + "\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, runs
}

func countRuns(t *testing.T, runs string) int {
	t.Helper()
	b, err := os.ReadFile(runs)
	if err != nil {
		t.Fatalf("the fake MinIO never ran: %v", err)
	}
	return strings.Count(string(b), "run\n")
}

// portTakenScript prints what MinIO prints when it loses the port race.
const portTakenScript = `echo "ERROR Unable to start the server: Specified port is already in use" >&2; exit 1`

// TestStartFailsPromptlyWhenMinIODies runs Start, as a test would, with a
// MinIO that always loses the port race: the test must fail with the
// reason and the log, after a few retries, instead of hanging.
func TestStartFailsPromptlyWhenMinIODies(t *testing.T) {
	bin, runs := fakeMinIO(t, portTakenScript)
	out, err := runHelper(t, []string{"MUSIC_MINIO_BIN=" + bin, "HOME=" + t.TempDir()})
	if err == nil {
		t.Fatalf("Start passed with a MinIO that cannot start; output:\n%s", out)
	}
	for _, want := range []string{"start MinIO " + bin, "gave up after 5 attempts", "exited before it was ready", "Specified port is already in use"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := countRuns(t, runs); n != portAttempts {
		t.Errorf("MinIO was run %d times, want %d (one per fresh port)", n, portAttempts)
	}
}

func TestStartFailures(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   string
		runs     int
		portRace bool
		want     []string
	}{
		{"a crash is not retried", `echo "FATAL Unable to use the drive: disk full" >&2; exit 1`, 1, false,
			[]string{"exited before it was ready", "exit status 1", "disk full"}},
		{"a lost port race is retried on new ports", portTakenScript, portAttempts, true,
			[]string{"gave up after 5 attempts", "already in use"}},
		// exec keeps the pid, so SIGTERM reaches the ignoring sleep and
		// only SIGKILL ends it.
		{"a server that never answers and ignores SIGTERM is killed", `trap "" TERM; exec sleep 600`, 1, false,
			[]string{"not ready after 1s", "stop: <nil>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin, runs := fakeMinIO(t, tc.script)
			s, err := startRetrying(t, launch{bin: bin, readyTimeout: time.Second, stopGrace: time.Second})
			if err == nil {
				t.Fatalf("started %+v from a MinIO that cannot start", s)
			}
			if errors.Is(err, errPortTaken) != tc.portRace {
				t.Errorf("errors.Is(err, errPortTaken) = %v, want %v", !tc.portRace, tc.portRace)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if n := countRuns(t, runs); n != tc.runs {
				t.Errorf("MinIO was run %d times, want %d", n, tc.runs)
			}
		})
	}
}

// TestRealMinIOOnATakenPort makes the real binary lose the race: its
// port is held by a listener. start must report it as errPortTaken.
func TestRealMinIOOnATakenPort(t *testing.T) {
	bin, err := Binary()
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_MINIO") == "1" {
			t.Fatalf("MUSIC_REQUIRE_MINIO=1 but %v", err)
		}
		t.Skipf("SKIP: %v", err)
	}
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	console, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	s, err := start(t, launch{bin: bin, readyTimeout: ReadyTimeout, stopGrace: stopGrace}, held.Addr().String(), console)
	if err == nil {
		t.Fatalf("MinIO started at %s on a port another listener holds", s.Endpoint)
	}
	if !errors.Is(err, errPortTaken) || !strings.Contains(err.Error(), held.Addr().String()) {
		t.Fatalf("start on a taken port: %v; want errPortTaken naming %s", err, held.Addr())
	}
}

func TestHelperStart(t *testing.T) {
	if os.Getenv("MINIOTEST_HELPER") != "1" {
		t.Skip("helper for the tests that run Start in a child process")
	}
	Start(t)
}
