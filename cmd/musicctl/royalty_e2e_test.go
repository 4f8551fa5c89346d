package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/royalty"

	"github.com/openmusic/music/plays"
)

// TestRoyaltyRunThroughUp settles a month the way catalog ops would, end
// to end on the real binary: plays are reported over HTTP to `musicctl
// up`, the lake writer stores them, `royalty pool set` and `royalty run
// --temporal-address` run the RoyaltyMonth workflow on the embedded
// cluster, and `royalty report --json` and the statements are checked
// against answers worked out by hand from the plays sent.
func TestRoyaltyRunThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up and the RoyaltyMonth workflow")
	}
	dir := t.TempDir()
	// 48 listeners, 16 each in GB, DE and US (seedPlaybackCatalog's cycle).
	tokens, tracks := seedPlaybackCatalog(t, dir, 48, 3)
	up := startUp(t, "--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", "300ms",
		"--rate-limit-reports", "0") // the test replays a month of plays at once; the limiter has its own tests
	base := "http://" + up.ready["http"]

	// All plays fall in one month, in the past, 1 s apart.
	start := time.Now().Add(-3 * time.Hour).UTC().Truncate(time.Second)
	if start.Month() != start.Add(time.Hour).Month() {
		start = start.Add(-2 * time.Hour)
	}
	month := start.Format("2006-01")
	type report struct {
		token string
		body  map[string]any
	}
	var reports []report
	play := func(user int, track, event, session string, ms int) {
		tok := ""
		if user >= 0 {
			tok = tokens[user]
		}
		reports = append(reports, report{tok, map[string]any{
			"event_id": event, "track_id": track, "session_id": session, "device_id": "d",
			"played_at":            start.Add(time.Duration(len(reports)) * time.Second).Format(time.RFC3339Nano),
			"duration_listened_ms": ms, "completed": true, "quality": "160kbps",
		}})
	}
	// Each listener streams T0 and T1 23 times each, every play in its own
	// session: 1,104 streams per track, over the 1,000-stream threshold;
	// 46 plays keeps every fresh account under the 50-play rule.
	for u := range tokens {
		for k := range 23 {
			for ti := range 2 {
				play(u, tracks[ti], fmt.Sprintf("u%d-t%d-%d", u, ti, k), fmt.Sprintf("s-u%d-t%d-%d", u, ti, k), 31_000)
			}
		}
	}
	for u := range 10 { // T2: 10 streams, under the threshold: earns nothing
		play(u, tracks[2], fmt.Sprintf("u%d-t2", u), fmt.Sprintf("s-u%d-t2", u), 45_000)
	}
	play(0, tracks[0], "short", "s-short", 29_900)      // under 30 s
	play(1, tracks[0], "progress", "s-u1-t0-0", 60_000) // a later report of a counted play…
	for _, r := range reports {
		if r.body["event_id"] == "u1-t0-0" { // …10 s after its first report
			first, _ := time.Parse(time.RFC3339Nano, r.body["played_at"].(string))
			reports[len(reports)-1].body["played_at"] = first.Add(10 * time.Second).Format(time.RFC3339Nano)
		}
	}
	for i := range 5 {
		play(-1, tracks[0], fmt.Sprintf("anon-%d", i), "s-anon", 200_000) // no token
	}
	resend := reports[:20] // client retries of delivered reports: the log drops them

	send := func(r report) error {
		body, _ := json.Marshal(r.body)
		req, _ := http.NewRequest("POST", base+"/api/v1/playback/report", bytes.NewReader(body))
		if r.token != "" {
			req.Header.Set("Authorization", "Bearer "+r.token)
		}
		resp, err := testHTTP.Do(req)
		if err != nil {
			return err
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("report %v: %d %s", r.body["event_id"], resp.StatusCode, msg)
		}
		return nil
	}
	work := make(chan report)
	errs := make(chan error, len(reports)+len(resend))
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				if err := send(r); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, r := range append(reports, resend...) {
		work <- r
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// Wait for the lake writer to store every distinct event.
	store, err := filestore.Open(context.Background(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	seen, _ := waitForLake(t, store, len(reports), 300*time.Millisecond)
	rows := 0
	for _, n := range seen {
		rows += n
	}
	if len(seen) != len(reports) || rows != len(reports) {
		t.Fatalf("lake holds %d rows of %d events, want the %d distinct reports once each", rows, len(seen), len(reports))
	}

	contracts := filepath.Join(dir, "contracts.csv")
	os.WriteFile(contracts, []byte("track_id,holder_id,role,ppm\n"+
		tracks[0]+",label-1,label,500000\n"+tracks[0]+",artist-1,artist,300000\n"+tracks[0]+",writer-1,songwriter,200000\n"+
		tracks[1]+",label-1,label,1000000\n"+
		tracks[2]+",label-2,label,1000000\n"), 0o644)
	pools := map[string]int64{"GB": 1_000_000_000, "DE": 500_000_000, "US": 333_333_333}
	for terr, micros := range pools {
		amount := plays.Micros(micros).String()
		if out, stderr, code := run(t, "royalty", "pool", "set", "--data-dir", dir, "--month", month, "--territory", terr, "--amount", amount); code != 0 {
			t.Fatalf("pool set %s %s: exit %d: %s%s", terr, amount, code, out, stderr)
		}
	}
	settle := func(extra ...string) string {
		out, stderr, code := run(t, append([]string{"royalty", "run", "--data-dir", dir, "--temporal-address", up.ready["temporal"], "--month", month, "--contracts", contracts}, extra...)...)
		if code != 0 {
			t.Fatalf("royalty run: exit %d: %s%s", code, out, stderr)
		}
		t.Logf("royalty run: %s", strings.TrimSpace(out))
		ledger, err := readBlob(store, royalty.OutputPrefix(month)+"ledger.csv")
		if err != nil {
			t.Fatal(err)
		}
		return ledger
	}
	ledger := settle()

	s := royaltyReport(t, dir, month)
	want := royalty.Stats{
		Rows: int64(len(reports)), Anonymous: 5, Reports: int64(len(reports)) - 5, Duplicates: 1,
		Plays: 48*46 + 10 + 1, Short: 1, Streams: 48*46 + 10, Counted: 48*46 + 10, Listeners: 48,
	}
	if s.Stats != want {
		t.Errorf("stats\n got %+v\nwant %+v", s.Stats, want)
	}
	wantTracks := []royalty.TrackSummary{
		{TrackID: tracks[0], Streams: 1104, Trailing: 1104, Eligible: true},
		{TrackID: tracks[1], Streams: 1104, Trailing: 1104, Eligible: true},
		{TrackID: tracks[2], Streams: 10, Trailing: 10},
	}
	got := map[string]royalty.TrackSummary{}
	for _, ts := range s.Tracks {
		got[ts.TrackID] = ts
	}
	for _, w := range wantTracks {
		if got[w.TrackID] != w {
			t.Errorf("track %s: got %+v, want %+v", w.TrackID, got[w.TrackID], w)
		}
	}
	for _, p := range s.Pools {
		if p.Pool != pools[p.Territory] || p.Allocated != p.Pool || p.Unallocated != 0 || p.Weight == 0 {
			t.Errorf("pool %+v: want all of %d allocated", p, pools[p.Territory])
		}
	}
	if len(s.Pools) != 2*len(pools) {
		t.Errorf("%d pool summaries, want %d (two models × three territories)", len(s.Pools), 2*len(pools))
	}

	// The pro-rata ledger: per territory T0 and T1 split the pool evenly
	// (368 streams each; T2 is ineligible), T0's half by 50/30/20 %.
	// Every territory sums to its pool to the micro-unit.
	lines, err := csv.NewReader(strings.NewReader(ledger)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]int64{}
	holders := map[string]int64{}
	for _, l := range lines[1:] {
		model, terr, track, holder, amount := l[1], l[2], l[3], l[4], l[7]
		micros, _ := strconv.ParseInt(amount, 10, 64)
		if model != royalty.ModelProRata {
			continue
		}
		sums[terr] += micros
		holders[holder+"/"+terr] += micros
		if track == tracks[2] {
			t.Errorf("ineligible track %s is in the ledger: %v", track, l)
		}
	}
	for terr, pool := range pools {
		if sums[terr] != pool {
			t.Errorf("%s: pro-rata ledger sums to %d, pool is %d", terr, sums[terr], pool)
		}
		half := pool / 2
		wantLabel := half/2 + half // T0's label half plus all of T1
		if d := holders["label-1/"+terr] - wantLabel; d < -2 || d > 2 {
			t.Errorf("%s: label-1 gets %d, want %d ± 2 (rounding)", terr, holders["label-1/"+terr], wantLabel)
		}
		if d := holders["artist-1/"+terr] - half*3/10; d < -1 || d > 1 {
			t.Errorf("%s: artist-1 gets %d, want %d ± 1", terr, holders["artist-1/"+terr], half*3/10)
		}
	}
	statement, err := readBlob(store, royalty.OutputPrefix(month)+"statements/holder=writer-1.csv")
	if err != nil {
		t.Fatalf("writer-1's statement: %v", err)
	}
	if n := strings.Count(statement, "\n"); n != 1+len(pools) {
		t.Errorf("writer-1's statement has %d lines, want a header and one per territory:\n%s", n, statement)
	}

	if again := settle("--force"); again != ledger {
		t.Errorf("re-running %s changed the ledger", month)
	}
}

// royaltyReport is `royalty report --json` for a settled month.
func royaltyReport(t *testing.T, dir, month string) royalty.Settlement {
	t.Helper()
	out, stderr, code := run(t, "royalty", "report", "--data-dir", dir, "--month", month, "--json")
	if code != 0 {
		t.Fatalf("royalty report: exit %d: %s", code, stderr)
	}
	var s royalty.Settlement
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("royalty report --json: %v\n%s", err, out)
	}
	return s
}

func readBlob(store *filestore.Store, key string) (string, error) {
	rc, _, err := store.Get(context.Background(), key)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}
