package fingerprint

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// synthTrack makes a random fingerprint with the slow drift of real ones:
// each item changes a few bits of the previous.
func synthTrack(rng *rand.Rand, n int) []uint32 {
	items := make([]uint32, n)
	v := rng.Uint32()
	for i := range items {
		for k := rng.IntN(4); k > 0; k-- {
			v ^= 1 << rng.IntN(32)
		}
		items[i] = v
	}
	return items
}

// corrupt flips each bit with probability ber.
func corrupt(rng *rand.Rand, items []uint32, ber float64) []uint32 {
	out := append([]uint32(nil), items...)
	for i := range out {
		for b := 0; b < 32; b++ {
			if rng.Float64() < ber {
				out[i] ^= 1 << b
			}
		}
	}
	return out
}

func TestIndexAddQueryRemoveReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 1))
	ix, err := OpenIndex(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	tracks := map[string][]uint32{}
	for i := 0; i < 50; i++ {
		id := fmt.Sprintf("T%02d", i)
		tracks[id] = synthTrack(rng, 1000)
		if err := ix.Add(ctx, id, Entry{Items: tracks[id], PCMHash: [32]byte{byte(i + 1)}}); err != nil {
			t.Fatal(err)
		}
	}
	clip := corrupt(rng, tracks["T07"][300:380], 0.1)
	tests := []struct {
		name string
		ix   func() *Index
	}{
		{"live", func() *Index { return ix }},
		{"reopened", func() *Index {
			ix.Close()
			ix2, err := OpenIndex(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			return ix2
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix = tc.ix()
			if ix.Len() != 50 {
				t.Fatalf("Len = %d", ix.Len())
			}
			id, err := ix.Identify(ctx, clip)
			if err != nil || id.TrackID != "T07" || id.Offset != 300 {
				t.Fatalf("Identify = %+v, %v; want T07 at item 300", id, err)
			}
			d, err := ix.Dedup(ctx, Entry{Items: tracks["T12"], PCMHash: [32]byte{13}}, DefaultPolicy)
			if err != nil || d.Verdict != Exact || d.TrackID != "T12" {
				t.Fatalf("Dedup exact = %+v, %v", d, err)
			}
			d, _ = ix.Dedup(ctx, Entry{Items: corrupt(rng, tracks["T12"][40:], 0.03)}, DefaultPolicy)
			if d.Verdict != SameRecording || d.TrackID != "T12" || d.Offset != 40 {
				t.Fatalf("Dedup same = %+v", d)
			}
			d, _ = ix.Dedup(ctx, Entry{Items: corrupt(rng, tracks["T12"], 0.15)}, DefaultPolicy)
			if d.Verdict != Related || d.TrackID != "T12" {
				t.Fatalf("Dedup related = %+v", d)
			}
			d, _ = ix.Dedup(ctx, Entry{Items: synthTrack(rng, 1000)}, DefaultPolicy)
			if d.Verdict != New || d.TrackID != "" {
				t.Fatalf("Dedup new = %+v", d)
			}
		})
	}
	if err := ix.Remove(ctx, "T07"); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Identify(ctx, clip); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("after Remove: %v, want not found", err)
	}
	if err := ix.Remove(ctx, "T07"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("second Remove: %v", err)
	}
	if ix.Dead() != 1 {
		t.Fatalf("Dead = %d, want 1", ix.Dead())
	}
	st0, _ := os.Stat(filepath.Join(dir, IndexFile))
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	st1, _ := os.Stat(filepath.Join(dir, IndexFile))
	if st1.Size() >= st0.Size() || ix.Dead() != 0 {
		t.Fatalf("Compact: size %d -> %d, dead %d", st0.Size(), st1.Size(), ix.Dead())
	}
	if id, err := ix.Identify(ctx, corrupt(rng, tracks["T30"][500:560], 0.05)); err != nil || id.TrackID != "T30" {
		t.Fatalf("after Compact: %+v %v", id, err)
	}
	ix.Close()
	ix, _ = OpenIndex(ctx, dir)
	defer ix.Close()
	if ix.Len() != 49 {
		t.Fatalf("after reopen Len = %d, want 49", ix.Len())
	}
	if _, err := ix.Identify(ctx, clip); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("removed track found after compact and reopen: %v", err)
	}
}

func TestIndexBadInput(t *testing.T) {
	ctx := context.Background()
	ix, err := OpenIndex(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	silence := make([]uint32, 80)
	for i := range silence {
		silence[i] = SilenceItem
	}
	tests := []struct {
		name string
		clip []uint32
		code string
		msg  string
	}{
		{"empty", nil, music.EINVALID, "too short"},
		{"too short", synthTrack(rand.New(rand.NewPCG(2, 2)), 5), music.EINVALID, "too little audible"},
		{"silence", silence, music.EINVALID, "silent"},
		{"unknown", synthTrack(rand.New(rand.NewPCG(3, 3)), 80), music.ENOTFOUND, "no indexed track"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ix.Identify(ctx, tc.clip)
			if music.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Identify = %v, want %s containing %q", err, tc.code, tc.msg)
			}
		})
	}
	if err := ix.Add(ctx, "", Entry{Items: []uint32{1}}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("Add empty id: %v", err)
	}
	if err := ix.Add(ctx, "x", Entry{}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("Add empty fingerprint: %v", err)
	}
}

// TestIndexTornTail appends garbage, as a crash mid-write leaves, and
// checks the index opens with every complete record and stays writable.
func TestIndexTornTail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, _ := OpenIndex(ctx, dir)
	rng := rand.New(rand.NewPCG(5, 5))
	a := synthTrack(rng, 500)
	ix.Add(ctx, "a", Entry{Items: a})
	ix.Close()
	rec, _ := encodeRecord(opAdd, "b", [32]byte{}, synthTrack(rng, 500))
	f, _ := os.OpenFile(filepath.Join(dir, IndexFile), os.O_APPEND|os.O_WRONLY, 0)
	f.Write(rec[:len(rec)/2])
	f.Close()
	ix, err := OpenIndex(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 1 {
		t.Fatalf("Len = %d, want 1", ix.Len())
	}
	if err := ix.Add(ctx, "c", Entry{Items: synthTrack(rng, 500)}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, _ = OpenIndex(ctx, dir)
	defer ix.Close()
	if ix.Len() != 2 {
		t.Fatalf("after add past torn tail Len = %d, want 2", ix.Len())
	}
}

// TestIndexSurvivesKill runs a child process that adds tracks and prints
// each acknowledged id, kills it with SIGKILL mid-stream, and checks that
// every acknowledged add is in the reopened index.
func TestIndexSurvivesKill(t *testing.T) {
	if dir := os.Getenv("FP_KILL_CHILD_DIR"); dir != "" {
		ctx := context.Background()
		ix, err := OpenIndex(ctx, dir)
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		rng := rand.New(rand.NewPCG(9, 9))
		for i := 0; ; i++ {
			if err := ix.Add(ctx, strconv.Itoa(i), Entry{Items: synthTrack(rng, 2000)}); err != nil {
				fmt.Println("ERR", err)
				os.Exit(1)
			}
			fmt.Println("ACK", i)
		}
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexSurvivesKill$")
	cmd.Env = append(os.Environ(), "FP_KILL_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	buf := make([]byte, 0, 4096)
	tmp := make([]byte, 256)
	for acked < 30 {
		n, err := out.Read(tmp)
		if err != nil {
			t.Fatalf("child: %v (%s)", err, buf)
		}
		buf = append(buf, tmp[:n]...)
		for _, line := range strings.Split(string(buf), "\n") {
			if v, ok := strings.CutPrefix(line, "ACK "); ok {
				if k, err := strconv.Atoi(v); err == nil {
					acked = max(acked, k)
				}
			}
		}
	}
	cmd.Process.Kill() // SIGKILL: no chance to flush anything
	cmd.Wait()
	ix, err := OpenIndex(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Len() < acked+1 {
		t.Fatalf("index has %d tracks, but %d adds were acknowledged", ix.Len(), acked+1)
	}
	t.Logf("killed after %d acknowledged adds; reopened index has %d", acked+1, ix.Len())
}
