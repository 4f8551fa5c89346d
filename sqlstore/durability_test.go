package sqlstore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// writerEnv makes the test binary act as a writer process (see TestMain).
const writerEnv = "SQLSTORE_TEST_WRITER_DSN"

// runWriter publishes releases one after another and prints "ack ID"
// after each PutRelease returns, until it is killed.
func runWriter(dsn string) int {
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		id := fmt.Sprintf("crash-%05d", i)
		p := music.Publication{
			Release: music.Release{ID: id, Title: id},
			Tracks: []music.Track{{ID: id + "-t1", ISRC: fmt.Sprintf("QZCRS%07d", i), Title: "t",
				DiscNumber: 1, TrackNumber: 1, Duration: time.Second}},
			Deals:   []music.Deal{{Territories: []string{music.Worldwide}}},
			Publish: true,
		}
		if err := s.PutRelease(ctx, p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("ack %s\n", id)
	}
}

// TestKill9KeepsAcknowledgedWrites kills a writing process with SIGKILL
// and checks that every release it acknowledged is in the database.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dsn := filepath.Join(t.TempDir(), "c.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), writerEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 40 {
		acked = append(acked, strings.TrimPrefix(sc.Text(), "ack "))
	}
	cmd.Process.Kill() // SIGKILL, mid-write
	cmd.Wait()
	if len(acked) < 40 {
		t.Fatalf("writer acknowledged only %d releases before dying", len(acked))
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range acked {
		if _, err := s.Release(context.Background(), id, music.Visibility{Territory: "DE"}); err != nil {
			t.Errorf("acknowledged release %s lost after kill -9: %v", id, err)
		}
	}
	n, _ := s.Count(context.Background(), "releases")
	t.Logf("acknowledged %d, found %d releases after kill -9", len(acked), n)
}
