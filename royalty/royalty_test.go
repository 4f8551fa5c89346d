package royalty

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

var march = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// scenario builds the known-answer event set described in the comments;
// the expected numbers in the tests below are worked out by hand from it.
type scenario struct {
	ev  []plays.Event
	seq int
}

func (s *scenario) play(user, terr string, created time.Time, track, sess string, at time.Time, durMs int64, completed bool) {
	s.seq++
	e := plays.Event{
		EventID: fmt.Sprintf("ev-%05d", s.seq), UserID: user, TrackID: track, SessionID: sess, DeviceID: "dev-" + user,
		PlayedAt: at.UnixMilli(), ReceivedAt: at.UnixMilli() + durMs + 1000, DurationListenedMs: durMs, Completed: completed,
		Quality: "160kbps", Territory: terr,
	}
	if user != "" {
		e.UserCreatedAt = created.UnixMilli()
	}
	s.ev = append(s.ev, e)
}

func day(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }

func buildScenario() []plays.Event {
	var s scenario
	old := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// u-normal (DE), 2026-03-03.
	n := func(track, sess string, at time.Time, dur int64) {
		s.play("u-normal", "DE", old, track, sess, at, dur, dur > 100_000)
	}
	n("hit", "s1", day(3, 10, 0), 30_000)  // progress report of the first play
	n("hit", "s1", day(3, 10, 0), 200_000) // final report
	n("hit", "s1", day(3, 10, 0), 200_000) // client retry: duplicate
	n("hit", "s1", day(3, 10, 10), 200_000)
	n("hit", "s2", day(3, 12, 0), 29_900)  // 29.9 s: too short
	n("solo", "s2", day(3, 13, 0), 30_000) // exactly 30 s: counts
	n("hit", "s3", day(3, 14, 0), 100_000)
	n("hit", "s3", day(3, 14, 0).Add(4*time.Minute+59*time.Second), 100_000) // gap 4:59 → same play
	n("hit", "s3", day(3, 14, 10), 100_000)                                  // gap 5:01 → new play
	n("hit", "s4", day(3, 15, 0), 60_000)                                    // phone
	n("hit", "s5", day(3, 15, 1), 60_000)                                    // switched to laptop: new session counts
	for h := 10; h < 13; h++ {
		n("rare", "s6", day(4, h, 0), 45_000)
	}
	// A play begun in February's last minutes belongs to February.
	n("hit", "s9", time.Date(2026, 2, 28, 23, 58, 0, 0, time.UTC), 100_000)
	n("hit", "s9", day(1, 0, 1), 200_000)
	n("hit", "s8", time.Date(2026, 2, 28, 23, 50, 0, 0, time.UTC), 100_000)   // outside the window
	s.play("", "DE", time.Time{}, "hit", "anon", day(3, 9, 0), 40_000, false) // anonymous
	// u-bot (DE): 501 streams in one hour, then 10 the next hour.
	bt := []string{"hit", "solo", "rare", "noc", "x1", "x2"}
	for i := range 501 {
		s.play("u-bot", "DE", old, bt[i%6], fmt.Sprintf("b%d", i), day(5, 2, 0).Add(time.Duration(i)*7*time.Second), 31_000, true)
	}
	for i := range 10 {
		s.play("u-bot", "DE", old, bt[i%6], fmt.Sprintf("c%d", i), day(5, 3, 0).Add(time.Duration(i)*time.Minute), 31_000, true)
	}
	// u-loop (FR): 101 plays of one track on the 7th, 100 on the 8th.
	for i := range 101 {
		s.play("u-loop", "FR", old, "hit", "L7", day(7, 0, 0).Add(time.Duration(i)*5*time.Minute), 180_000, true)
	}
	for i := range 100 {
		s.play("u-loop", "FR", old, "hit", "L8", day(8, 0, 0).Add(time.Duration(i)*5*time.Minute), 180_000, true)
	}
	// u-fresh (DE): created on the 10th, 50 never-skipped plays in its
	// first day (inhuman), then 5 normal ones 25 h after creation.
	fresh := day(10, 0, 0)
	for i := range 50 {
		s.play("u-fresh", "DE", fresh, []string{"hit", "rare"}[i%2], "F1", day(10, 0, 30).Add(time.Duration(i)*10*time.Minute), 60_000, true)
	}
	for i := range 5 {
		s.play("u-fresh", "DE", fresh, "solo", "F2", day(11, 1, 0).Add(time.Duration(i)*10*time.Minute), 60_000, true)
	}
	// u-human (FR): created on the 12th, 60 plays of 20 tracks with skips.
	for i := range 60 {
		s.play("u-human", "FR", day(12, 0, 0), fmt.Sprintf("f-%02d", i%20), "H1", day(12, 1, 0).Add(time.Duration(i)*10*time.Minute), 45_000, i%12 != 0)
	}
	return s.ev
}

func writeScenario(t *testing.T, store music.BlobStore) int {
	t.Helper()
	ev := buildScenario()
	ctx := context.Background()
	// Three log batches, as the lake writer would flush them.
	cut := []int{0, len(ev) / 3, 2 * len(ev) / 3, len(ev)}
	for b := range 3 {
		r := lake.SeqRange{First: uint64(cut[b] + 1), Last: uint64(cut[b+1])}
		if _, err := lake.WriteBatch(ctx, store, r, ev[cut[b]:cut[b+1]], lake.WriterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return len(ev)
}

var wantDaily = []plays.DailyCount{
	{TrackID: "f-00", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-01", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-02", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-03", Date: "2026-03-12", Territory: "FR", Streams: 3},
	{TrackID: "f-04", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-05", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-06", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-07", Date: "2026-03-12", Territory: "FR", Streams: 3},
	{TrackID: "f-08", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-09", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-10", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-11", Date: "2026-03-12", Territory: "FR", Streams: 3},
	{TrackID: "f-12", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-13", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-14", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-15", Date: "2026-03-12", Territory: "FR", Streams: 3},
	{TrackID: "f-16", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-17", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-18", Date: "2026-03-12", Territory: "FR", Streams: 3}, {TrackID: "f-19", Date: "2026-03-12", Territory: "FR", Streams: 3},
	{TrackID: "hit", Date: "2026-03-03", Territory: "DE", Streams: 6}, {TrackID: "hit", Date: "2026-03-05", Territory: "DE", Streams: 2}, {TrackID: "hit", Date: "2026-03-08", Territory: "FR", Streams: 100},
	{TrackID: "noc", Date: "2026-03-05", Territory: "DE", Streams: 2},
	{TrackID: "rare", Date: "2026-03-04", Territory: "DE", Streams: 3}, {TrackID: "rare", Date: "2026-03-05", Territory: "DE", Streams: 2},
	{TrackID: "solo", Date: "2026-03-03", Territory: "DE", Streams: 1}, {TrackID: "solo", Date: "2026-03-05", Territory: "DE", Streams: 2}, {TrackID: "solo", Date: "2026-03-11", Territory: "DE", Streams: 5},
	{TrackID: "x1", Date: "2026-03-05", Territory: "DE", Streams: 1}, {TrackID: "x2", Date: "2026-03-05", Territory: "DE", Streams: 1},
}

func TestCountMonthKnownAnswers(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	rows := writeScenario(t, store)
	p, err := CountMonth(ctx, store, march, CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{
		Rows: int64(rows), Anonymous: 1, OutsideMonth: 1, Reports: int64(rows - 2),
		Duplicates: 4, LookbackPlays: 1, Plays: 838, Short: 1, Streams: 837,
		HourlyVolume: 501, TrackLoop: 101, FreshAccount: 50, Counted: 185, Listeners: 5, FlaggedUsers: 3,
	}
	if p.Stats != want {
		t.Errorf("stats\n got %+v\nwant %+v", p.Stats, want)
	}
	if !reflect.DeepEqual(p.Daily, wantDaily) {
		t.Errorf("daily counts\n got %v\nwant %v", p.Daily, wantDaily)
	}
	wantVotes := map[string]int64{"DE/hit": 800_000, "DE/solo": 1_300_000, "DE/noc": 200_000, "DE/rare": 500_000, "DE/x1": 100_000, "DE/x2": 100_000, "FR/hit": 1_000_000}
	for i := range 20 {
		wantVotes[fmt.Sprintf("FR/f-%02d", i)] = 50_000
	}
	gotVotes := map[string]int64{}
	for _, v := range p.Votes {
		gotVotes[v.Territory+"/"+v.TrackID] = v.Votes
	}
	if !reflect.DeepEqual(gotVotes, wantVotes) {
		t.Errorf("votes\n got %v\nwant %v", gotVotes, wantVotes)
	}
	// Any split into workers, buckets, memory budgets and bucket ranges
	// (the fan-out into activities) gives the same result.
	for _, o := range []CountOptions{
		{Workers: 1, Buckets: 1},
		{Workers: 3, Buckets: 7, MemoryBudget: 4096}, // forces spilling
	} {
		got, err := CountMonth(ctx, store, march, o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("options %+v: result differs", o)
		}
	}
	var parts []Partial
	for _, r := range []BucketRange{{0, 3}, {3, 4}, {4, 16}} {
		got, err := CountMonth(ctx, store, march, CountOptions{Buckets: 16, Part: r})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, got)
	}
	if merged := Merge(parts[2], parts[0], parts[1]); !reflect.DeepEqual(merged, p) {
		t.Errorf("merged bucket ranges differ:\n got %+v\nwant %+v", merged.Stats, p.Stats)
	}
}

func scenarioInput(p Partial) SettleInput {
	hit := []Share{{"L1", "label", 500_000}, {"A1", "artist", 300_000}, {"S1", "songwriter", 200_000}}
	solo := []Share{{"L1", "label", 700_000}, {"A2", "artist", 300_000}}
	return SettleInput{
		Month: march, Counts: p, Rules: DefaultRules,
		Pools:  map[string]plays.Micros{"DE": 1_000_000_000, "FR": 333_333_333, "US": 50_000_000},
		Shares: map[string][]Share{"hit": hit, "solo": solo, "rare": hit},
		Prior:  map[string]int64{"hit": 5000, "solo": 992, "noc": 2000},
	}
}

func TestSettleKnownAnswers(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	writeScenario(t, store)
	p, err := CountMonth(ctx, store, march, CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Settle(scenarioInput(p))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Ledger {
		got = append(got, fmt.Sprintf("%s %s %s %s %s %d %d", r.Model, r.Territory, r.TrackID, r.Role, r.HolderID, r.Weight, r.AmountMicros))
	}
	want := []string{
		"pro_rata DE hit artist A1 8 133333334",
		"pro_rata DE hit label L1 8 222222222",
		"pro_rata DE hit songwriter S1 8 88888889",
		"pro_rata DE noc unallocated  2 111111111",
		"pro_rata DE solo artist A2 8 133333333",
		"pro_rata DE solo label L1 8 311111111",
		"pro_rata FR hit artist A1 100 100000000",
		"pro_rata FR hit label L1 100 166666666",
		"pro_rata FR hit songwriter S1 100 66666667",
		"pro_rata US  unallocated  0 50000000",
		"user_centric DE hit artist A1 800000 104347826",
		"user_centric DE hit label L1 800000 173913044",
		"user_centric DE hit songwriter S1 800000 69565217",
		"user_centric DE noc unallocated  200000 86956522",
		"user_centric DE solo artist A2 1300000 169565217",
		"user_centric DE solo label L1 1300000 395652174",
		"user_centric FR hit artist A1 1000000 100000000",
		"user_centric FR hit label L1 1000000 166666666",
		"user_centric FR hit songwriter S1 1000000 66666667",
		"user_centric US  unallocated  0 50000000",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ledger\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// Each (model, territory) sums to its pool exactly.
	sums := map[string]int64{}
	for _, r := range s.Ledger {
		sums[r.Model+"/"+r.Territory] += r.AmountMicros
	}
	for _, m := range []string{ModelProRata, ModelUserCentric} {
		for terr, pool := range scenarioInput(p).Pools {
			if sums[m+"/"+terr] != int64(pool) {
				t.Errorf("%s %s: ledger sums to %d, pool is %d", m, terr, sums[m+"/"+terr], pool)
			}
		}
	}
	elig := map[string]bool{}
	for _, ts := range s.Tracks {
		elig[ts.TrackID] = ts.Eligible
	}
	if !elig["solo"] || elig["rare"] || elig["x1"] || elig["f-00"] || !elig["hit"] || !elig["noc"] {
		t.Errorf("eligibility %v", elig)
	}
}

func TestOutputsByteIdenticalOnRerun(t *testing.T) {
	ctx := context.Background()
	lakeStore := openStore(t, t.TempDir())
	writeScenario(t, lakeStore)
	var trees []map[string][]byte
	for run, o := range []CountOptions{{}, {Workers: 2, Buckets: 5, MemoryBudget: 2048}} {
		p, err := CountMonth(ctx, lakeStore, march, o)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Settle(scenarioInput(p))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := WriteOutputs(ctx, openStore(t, dir), s, p); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, readTree(t, dir))
		if run == 0 && len(trees[0]) != 4+2*4 {
			t.Fatalf("want 4 files plus 4 holders' statements, got %d: %v", len(trees[0]), keysOf(trees[0]))
		}
	}
	if !reflect.DeepEqual(trees[0], trees[1]) {
		t.Fatal("re-run outputs differ")
	}
	csv := string(trees[0]["royalty/month=2026-03/statements/holder=L1.csv"])
	if !strings.Contains(csv, "2026-03,L1,label,DE,hit,8,222222222,222.222222") {
		t.Errorf("L1 statement:\n%s", csv)
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	return out
}

func keysOf(m map[string][]byte) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func TestCorruptLakeFileFailsTheMonth(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := openStore(t, dir)
	writeScenario(t, store)
	files, err := lake.ListFiles(ctx, store, lake.Prefix)
	if err != nil {
		t.Fatal(err)
	}
	victim := files[len(files)/2].Key
	p := filepath.Join(dir, filepath.FromSlash(victim))
	data, _ := os.ReadFile(p)
	// Damage a page of a column the batch reads (played_at): columns it
	// does not project are not read, so not checked, by design.
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	col, _ := pf.Schema().Lookup(lake.ColPlayedAt)
	off := pf.Metadata().RowGroups[0].Columns[col.ColumnIndex].MetaData.DataPageOffset
	data[off+40] ^= 0x55
	os.WriteFile(p, data, 0o644)
	_, err = CountMonth(ctx, store, march, CountOptions{})
	if err == nil || !strings.Contains(err.Error(), victim) {
		t.Fatalf("want an error naming %s, got %v", victim, err)
	}
}

func TestSplitLargestRemainder(t *testing.T) {
	for _, tc := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{10, []int64{1, 1, 1}, []int64{4, 3, 3}},
		{100, []int64{1, 2, 3, 4}, []int64{10, 20, 30, 40}},
		{1, []int64{5, 5}, []int64{1, 0}},
		{1 << 62, []int64{1 << 62, 1 << 61}, []int64{3074457345618258603, 1537228672809129301}},
		{7, []int64{0, 3, 0}, []int64{0, 7, 0}},
	} {
		got := splitLargestRemainder(tc.total, tc.weights)
		var sum int64
		for _, g := range got {
			sum += g
		}
		if !slices.Equal(got, tc.want) || sum != tc.total {
			t.Errorf("split(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
		}
	}
}

func TestReadContracts(t *testing.T) {
	good := "track_id,holder_id,role,ppm\nt1,L,label,600000\nt1,A,artist,400000\n"
	c, err := ReadContracts(strings.NewReader(good))
	if err != nil || len(c["t1"]) != 2 {
		t.Fatalf("%v %v", c, err)
	}
	for _, bad := range []string{
		"track,holder\n",
		"track_id,holder_id,role,ppm\nt1,L,label,600000\n",
		"track_id,holder_id,role,ppm\nt1,L,producer,1000000\n",
		"track_id,holder_id,role,ppm\nt1,L,label,x\n",
	} {
		if _, err := ReadContracts(strings.NewReader(bad)); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// openStore opens a real file blob store in dir.
func openStore(t testing.TB, dir string) music.BlobStore {
	t.Helper()
	s, err := filestore.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
