package royalty

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// OutputPrefix is where a month's outputs go in the blob store:
// royalty/month=YYYY-MM/{report.json, ledger.csv, daily_counts.csv,
// track_totals.csv, statements/holder=<id>.{csv,parquet}}.
func OutputPrefix(month string) string { return "royalty/month=" + month + "/" }

// StatementRow is one line of a rights holder's statement (pro rata, the
// model that is paid).
type StatementRow struct {
	Month        string `parquet:"month"`
	HolderID     string `parquet:"holder_id"`
	Role         string `parquet:"role"`
	Territory    string `parquet:"territory"`
	TrackID      string `parquet:"track_id"`
	Streams      int64  `parquet:"streams"`
	AmountMicros int64  `parquet:"amount_micros"`
}

// WriteOutputs stores the settlement and the counts it came from. Every
// file is a pure function of its input, so a re-run writes identical
// bytes under the same keys.
func WriteOutputs(ctx context.Context, store music.BlobStore, s Settlement, counts Partial) ([]string, error) {
	prefix := OutputPrefix(s.Month)
	var keys []string
	put := func(name, ctype string, data []byte) error {
		key := prefix + name
		if _, err := store.Put(ctx, key, bytes.NewReader(data), music.PutOptions{ContentType: ctype}); err != nil {
			return fmt.Errorf("royalty %s: write %s: %w", s.Month, key, err)
		}
		keys = append(keys, key)
		return nil
	}
	report, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := put("report.json", "application/json", append(report, '\n')); err != nil {
		return nil, err
	}
	ledger := [][]string{{"month", "model", "territory", "track_id", "holder_id", "role", "weight", "amount_micros", "amount"}}
	for _, r := range s.Ledger {
		ledger = append(ledger, []string{r.Month, r.Model, r.Territory, r.TrackID, r.HolderID, r.Role, itoa(r.Weight), itoa(r.AmountMicros), plays.Micros(r.AmountMicros).String()})
	}
	daily := [][]string{{"track_id", "date", "territory", "streams"}}
	for _, d := range counts.Daily {
		daily = append(daily, []string{d.TrackID, d.Date, d.Territory, itoa(d.Streams)})
	}
	totals := [][]string{{"track_id", "streams", "trailing", "eligible"}}
	for _, t := range s.Tracks {
		totals = append(totals, []string{t.TrackID, itoa(t.Streams), itoa(t.Trailing), strconv.FormatBool(t.Eligible)})
	}
	for _, f := range []struct {
		name string
		rows [][]string
	}{{"ledger.csv", ledger}, {"daily_counts.csv", daily}, {"track_totals.csv", totals}} {
		if err := put(f.name, "text/csv", csvBytes(f.rows)); err != nil {
			return nil, err
		}
	}
	for holder, rows := range Statements(s) {
		name := "statements/holder=" + safeName(holder)
		lines := [][]string{{"month", "holder_id", "role", "territory", "track_id", "streams", "amount_micros", "amount"}}
		for _, r := range rows {
			lines = append(lines, []string{r.Month, r.HolderID, r.Role, r.Territory, r.TrackID, itoa(r.Streams), itoa(r.AmountMicros), plays.Micros(r.AmountMicros).String()})
		}
		if err := put(name+".csv", "text/csv", csvBytes(lines)); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[StatementRow](&buf, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("musicctl-royalty", "1", ""))
		if _, err := w.Write(rows); err != nil {
			return nil, fmt.Errorf("royalty statement %s: %w", holder, err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("royalty statement %s: %w", holder, err)
		}
		if err := put(name+".parquet", "application/vnd.apache.parquet", buf.Bytes()); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Statements groups the pro-rata ledger by rights holder.
func Statements(s Settlement) map[string][]StatementRow {
	out := map[string][]StatementRow{}
	for _, r := range s.Ledger {
		if r.Model != ModelProRata || r.Role == RoleUnallocated {
			continue
		}
		out[r.HolderID] = append(out[r.HolderID], StatementRow{Month: r.Month, HolderID: r.HolderID, Role: r.Role, Territory: r.Territory, TrackID: r.TrackID, Streams: r.Weight, AmountMicros: r.AmountMicros})
	}
	return out
}

// safeName keeps a holder id usable as one key segment.
func safeName(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func csvBytes(rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows) // a bytes.Buffer never fails
	return buf.Bytes()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ReadSettlement reads back the settlement WriteOutputs stored for month.
func ReadSettlement(ctx context.Context, store music.BlobStore, month string) (Settlement, error) {
	var s Settlement
	rc, _, err := store.Get(ctx, OutputPrefix(month)+"report.json")
	if err != nil {
		return s, err
	}
	defer rc.Close()
	err = json.NewDecoder(rc).Decode(&s)
	return s, err
}
