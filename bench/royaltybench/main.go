// Command royaltybench times the royalty month count (dedup + 30 s rule +
// fraud rules + aggregation) against DuckDB running the same semantics in
// SQL over the same lake files, in one process, alternating runs, and
// checks that both produce the same counts. It lives in its own module so
// the main module does not depend on DuckDB (cgo, ~60 MB static library).
//
//	cd bench && go run ./royaltybench --lake ~/.cache/musicctl/lakebench --month 2026-03
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/royalty"

	"github.com/openmusic/music/plays"
)

func main() {
	dir := flag.String("lake", "", "lake directory (file blob store)")
	month := flag.String("month", "2026-03", "month YYYY-MM")
	runs := flag.Int("runs", 3, "runs of each engine")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "threads for both engines")
	memory := flag.Int("memory", 1<<30, "royalty shuffle memory budget, bytes")
	skipSimple := flag.Bool("skip-simple", false, "skip the dedup+30s-only DuckDB query")
	duckMem := flag.String("duck-memory", "4GB", "DuckDB memory_limit")
	flag.Parse()
	ctx := context.Background()
	m, err := plays.ParseMonth(*month)
	check(err)
	store, err := filestore.Open(ctx, *dir)
	check(err)
	rules := royalty.DefaultRules
	base := m.Add(-rules.DedupWindow)
	end := m.AddDate(0, 1, 0)
	files, err := lake.FilesBetween(ctx, store, base, end)
	check(err)
	var paths []string
	for _, f := range files {
		paths = append(paths, "'"+filepath.Join(*dir, filepath.FromSlash(f.Key))+"'")
	}
	db, err := sql.Open("duckdb", "")
	check(err)
	defer db.Close()
	tmp, _ := os.MkdirTemp("", "duckbench-")
	defer os.RemoveAll(tmp)
	for _, s := range []string{fmt.Sprintf("SET threads=%d", *threads), "SET memory_limit='" + *duckMem + "'", "SET temp_directory='" + tmp + "'", "SET preserve_insertion_order=false"} {
		_, err := db.Exec(s)
		check(err)
	}
	fileList := "[" + strings.Join(paths, ",") + "]"
	full := fmt.Sprintf(fullSQL, fileList, base.UnixMilli(), end.UnixMilli(), m.UnixMilli())
	simple := fmt.Sprintf(simpleSQL, fileList, base.UnixMilli(), end.UnixMilli(), m.UnixMilli())

	fmt.Printf("files %d, threads %d, GOMAXPROCS %d, %s\n", len(files), *threads, runtime.GOMAXPROCS(0), time.Now().UTC().Format(time.RFC3339))
	var goT, duckT, duckSimpleT []time.Duration
	var goCPU, duckCPU, duckSimpleCPU []time.Duration
	var rows int64
	var gp royalty.Partial
	for r := 0; r < *runs; r++ {
		runtime.GC()
		t0, c0 := time.Now(), cpu()
		p, err := royalty.CountMonth(ctx, store, m, royalty.CountOptions{Workers: *threads, MemoryBudget: *memory})
		check(err)
		goT, goCPU = append(goT, time.Since(t0)), append(goCPU, cpu()-c0)
		rows, gp = p.Stats.Rows, p
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("run %d go     full   %8.3fs wall %8.3fs cpu  %6.2f M rows/s  (heap sys %d MB)\n", r, goT[r].Seconds(), goCPU[r].Seconds(), float64(rows)/goT[r].Seconds()/1e6, ms.HeapSys>>20)

		t0, c0 = time.Now(), cpu()
		reasons, daily := duckFull(db, full)
		duckT, duckCPU = append(duckT, time.Since(t0)), append(duckCPU, cpu()-c0)
		fmt.Printf("run %d duckdb full   %8.3fs wall %8.3fs cpu  %6.2f M rows/s\n", r, duckT[r].Seconds(), duckCPU[r].Seconds(), float64(rows)/duckT[r].Seconds()/1e6)
		if r == 0 {
			compare(gp, reasons, daily)
		}
		if *skipSimple {
			continue
		}
		t0, c0 = time.Now(), cpu()
		var streams int64
		check(db.QueryRow(simple).Scan(&streams))
		duckSimpleT, duckSimpleCPU = append(duckSimpleT, time.Since(t0)), append(duckSimpleCPU, cpu()-c0)
		fmt.Printf("run %d duckdb dedup+30s %6.3fs wall %8.3fs cpu  %6.2f M rows/s  (streams %d, go %d)\n", r, duckSimpleT[r].Seconds(), duckSimpleCPU[r].Seconds(), float64(rows)/duckSimpleT[r].Seconds()/1e6, streams, gp.Stats.Streams)
	}
	g, d := median(goT), median(duckT)
	gc, dc := median(goCPU), median(duckCPU)
	fmt.Printf("\nrows %d\nmedian go full       %.3fs wall %.3fs cpu  %.2f M rows/s wall  %.2f M rows/cpu-s\nmedian duckdb full   %.3fs wall %.3fs cpu  %.2f M rows/s wall  %.2f M rows/cpu-s\nratio duckdb/go: wall %.2fx  cpu %.2fx\n",
		rows, g.Seconds(), gc.Seconds(), float64(rows)/g.Seconds()/1e6, float64(rows)/gc.Seconds()/1e6,
		d.Seconds(), dc.Seconds(), float64(rows)/d.Seconds()/1e6, float64(rows)/dc.Seconds()/1e6, d.Seconds()/g.Seconds(), dc.Seconds()/gc.Seconds())
	if *skipSimple {
		return
	}
	ds, dsc := median(duckSimpleT), median(duckSimpleCPU)
	fmt.Printf("median duckdb dedup+30s %.3fs wall %.3fs cpu  %.2f M rows/s wall  %.2f M rows/cpu-s\n", ds.Seconds(), dsc.Seconds(), float64(rows)/ds.Seconds()/1e6, float64(rows)/dsc.Seconds()/1e6)
}

// cpu is this process's user+system CPU time (DuckDB runs in-process).
func cpu() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// duckFull returns streams per reason and the counted daily rows.
func duckFull(db *sql.DB, q string) (map[string]int64, map[string]int64) {
	rs, err := db.Query(q)
	check(err)
	defer rs.Close()
	reasons := map[string]int64{}
	daily := map[string]int64{}
	for rs.Next() {
		var reason, track, terr string
		var day, n int64
		check(rs.Scan(&reason, &track, &day, &terr, &n))
		reasons[reason] += n
		if reason == "counted" {
			daily[fmt.Sprintf("%s|%s|%s", track, time.UnixMilli(day*86_400_000).UTC().Format(time.DateOnly), terr)] += n
		}
	}
	check(rs.Err())
	return reasons, daily
}

func compare(p royalty.Partial, reasons, daily map[string]int64) {
	s := p.Stats
	ok := reasons["counted"] == s.Counted && reasons["hourly_volume"] == s.HourlyVolume && reasons["track_loop"] == s.TrackLoop && reasons["fresh_account"] == s.FreshAccount
	mine := map[string]int64{}
	for _, d := range p.Daily {
		mine[d.TrackID+"|"+d.Date+"|"+d.Territory] = d.Streams
	}
	same := len(mine) == len(daily)
	for k, v := range mine {
		if daily[k] != v {
			same = false
		}
	}
	fmt.Printf("check: go counted %d hourly %d loop %d fresh %d | duckdb %v | daily rows go %d duckdb %d identical=%v\n",
		s.Counted, s.HourlyVolume, s.TrackLoop, s.FreshAccount, reasons, len(mine), len(daily), same)
	if !ok || !same {
		log.Fatal("results differ between engines")
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// The same semantics as royalty.CountMonth: a play is a chain of reports
// of one (user, track, session) with gaps under 5 min; it belongs to the
// month of its first report and counts at >= 30 s; then the three fraud
// rules, attributed in order. Among reports with equal times the one that
// opens a chain (b = 1) must sort first in the running sum, or tied rows
// could land in different chains.
const playsSQL = `
WITH src AS (
  SELECT user_id, track_id, session_id, epoch_ms(played_at) AS t, duration_listened_ms AS dur, completed, territory,
         epoch_ms(played_at) - epoch_ms(user_created_at) < 86400000 AS fresh
  FROM read_parquet(%s)
  WHERE user_id <> '' AND epoch_ms(played_at) >= %d AND epoch_ms(played_at) < %d
), brk AS (
  SELECT *, CASE WHEN t - lag(t) OVER (PARTITION BY user_id, track_id, session_id ORDER BY t) < 300000 THEN 0 ELSE 1 END AS b FROM src
), chains AS (
  SELECT *, sum(b) OVER (PARTITION BY user_id, track_id, session_id ORDER BY t, b DESC ROWS UNBOUNDED PRECEDING) AS chain FROM brk
), plays AS (
  SELECT user_id, track_id, min(t) AS t, max(dur) AS dur, bool_or(completed) AS completed,
         arg_min(territory, t) AS territory, arg_min(fresh, t) AS fresh
  FROM chains GROUP BY user_id, track_id, session_id, chain
  HAVING min(t) >= %d
)`

var fullSQL = playsSQL + `, streams AS (
  SELECT * FROM plays WHERE dur >= 30000
), fresh_users AS (
  SELECT user_id FROM plays WHERE fresh GROUP BY user_id
  HAVING count(*) >= 50 AND (count(*) FILTER (WHERE NOT completed) = 0 OR count(DISTINCT track_id) <= 3)
), hourly AS (
  SELECT user_id, t // 3600000 AS h FROM streams GROUP BY ALL HAVING count(*) > 500
), loops AS (
  SELECT user_id, track_id, t // 86400000 AS d FROM streams GROUP BY ALL HAVING count(*) > 100
)
SELECT CASE WHEN h.user_id IS NOT NULL THEN 'hourly_volume'
            WHEN l.user_id IS NOT NULL THEN 'track_loop'
            WHEN s.fresh AND f.user_id IS NOT NULL THEN 'fresh_account'
            ELSE 'counted' END AS reason,
       s.track_id, s.t // 86400000 AS day, s.territory, count(*) AS n
FROM streams s
LEFT JOIN hourly h ON s.user_id = h.user_id AND s.t // 3600000 = h.h
LEFT JOIN loops l ON s.user_id = l.user_id AND s.track_id = l.track_id AND s.t // 86400000 = l.d
LEFT JOIN fresh_users f ON s.user_id = f.user_id
GROUP BY ALL`

var simpleSQL = playsSQL + ` SELECT count(*) FROM plays WHERE dur >= 30000`
