package main

import (
	"net"
	"strings"
	"testing"

	"github.com/openmusic/music/internal/miniotest"
)

// TestBadConfigOneLine checks that each kind of bad configuration fails
// with one line on stderr that names the setting, and no stack trace.
func TestBadConfigOneLine(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	minio := miniotest.Start(t)
	t.Setenv("MUSIC_S3_ACCESS_KEY", miniotest.AccessKey)
	t.Setenv("MUSIC_S3_SECRET_KEY", miniotest.SecretKey)

	cases := []struct {
		name string
		args []string
		env  []string
		want []string
	}{
		{"unreachable postgres", []string{"users", "list", "--db", "postgres://music@127.0.0.1:1/music"}, nil, []string{"--db", "127.0.0.1:1"}},
		{"db from env", []string{"users", "list"}, []string{"MUSIC_DB=postgres://music@127.0.0.1:1/music"}, []string{"MUSIC_DB"}},
		{"missing bucket", []string{"up", "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "",
			"--blob", "s3://no-such-bucket?path_style=true&endpoint=" + minio.Endpoint}, nil, []string{"--blob", "no-such-bucket"}},
		{"http port in use", []string{"up", "--http", busy.Addr().String(), "--temporal-listen", "127.0.0.1:0", "--ui-listen", ""}, nil, []string{"--http", "address already in use"}},
		{"temporal port in use", []string{"up", "--http", "127.0.0.1:0", "--temporal-listen", busy.Addr().String(), "--ui-listen", ""}, nil, []string{"--temporal-listen", "address already in use"}},
		{"bad blob scheme", []string{"up", "--blob", "ftp://x"}, nil, []string{"--blob", "file://DIR or s3://BUCKET"}},
		{"unreachable temporal", []string{"smoke", "--temporal-address", "127.0.0.1:1"}, nil, []string{"--temporal-address", "127.0.0.1:1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--data-dir", t.TempDir()}, tc.args...)
			cmd := musicctl(args...)
			cmd.Env = append(cmd.Env, tc.env...)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("exit 0, want failure; output %s", out)
			}
			msg := strings.TrimRight(string(out), "\n")
			if strings.Count(msg, "\n") != 0 || strings.Contains(msg, "goroutine") {
				t.Fatalf("want one line, got:\n%s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}
